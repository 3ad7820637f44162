using System.Text.Json;
using Microsoft.Extensions.AI;
using V2V.Voice.Conversation;
using V2V.Voice.Outputs;

namespace V2V.Voice.Tests.Session;

/// <summary>What the session's instructions become: placeholders replaced, an earlier conversation told after them.</summary>
public sealed class SessionInstructionsTests
{
    private static readonly JsonElement NoParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

    [Fact]
    public void ToolsPlaceholder_ListsEachToolKnown_AndIsEmptyWithoutTools()
    {
        var options = new VoiceSessionOptions { Instructions = "Help. {tools}" };
        AIFunctionDeclaration[] tools = [AIFunctionFactory.CreateDeclaration("get_weather", "The weather of a city.", NoParameters), AIFunctionFactory.CreateDeclaration("get_time", "The time.", NoParameters)];

        var text = SessionConfiguration.Instructions(options, tools)!;

        Assert.Contains("- ***get_weather***: The weather of a city.\n- ***get_time***: The time.", text, StringComparison.Ordinal);
        Assert.Equal("Help. ", SessionConfiguration.Instructions(options, []));
    }

    [Fact]
    public void PreviousConversation_FollowsTheInstructions_KeepingTheLastMaxHistoryTurns()
    {
        var options = new VoiceSessionOptions
        {
            Instructions = "Be brief.",
            MaxHistory = 2,
            PreviousConversation = [new(TranscriptRole.User, "first"), new(TranscriptRole.User, "My name is Ada."), new(TranscriptRole.Assistant, "Hello Ada.")],
        };

        var text = SessionConfiguration.Instructions(options)!;

        Assert.StartsWith("Be brief.\n\n", text, StringComparison.Ordinal);
        Assert.EndsWith("user: My name is Ada.\nassistant: Hello Ada.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("first", text, StringComparison.Ordinal);
    }
}
