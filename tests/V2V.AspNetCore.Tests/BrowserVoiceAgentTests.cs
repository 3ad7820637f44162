using Microsoft.Extensions.AI;
using Microsoft.JSInterop;

namespace V2V.AspNetCore.Tests;

/// <summary>
/// <see cref="BrowserVoiceAgent"/>'s .NET side, as the page's calls reach it (its run in a browser: PackagesTests, with
/// samples/BlazorAgent in chromium): options checked by name, the transcript kept in speaking order, tools run with the
/// session's rules, start failures with their code.
/// </summary>
public sealed class BrowserVoiceAgentTests
{
    [Fact]
    public void BadOptions_AreRefusedByName()
    {
        var noEndpoint = Assert.Throws<ArgumentException>(() => new BrowserVoiceAgent(new BrowserVoiceAgentOptions { Endpoint = " " }));
        var twice = Assert.Throws<ArgumentException>(() => new BrowserVoiceAgent(new BrowserVoiceAgentOptions
        {
            Tools = [AIFunctionFactory.Create(() => 1, "a"), AIFunctionFactory.Create(() => 2, "a")],
        }));
        var buffer = Assert.Throws<ArgumentOutOfRangeException>(() => new BrowserVoiceAgent(new BrowserVoiceAgentOptions { StartBufferMs = -1 }));

        Assert.Equal("Endpoint", noEndpoint.ParamName);
        Assert.Contains("'a'", twice.Message, StringComparison.Ordinal);
        Assert.Equal("StartBufferMs", buffer.ParamName);
    }

    [Fact]
    public void TheTranscript_KeepsOneLinePerTurnInOrder_UpdatedInPlace_AndDropsRemovedLines()
    {
        var agent = new BrowserVoiceAgent();
        var changes = 0;
        agent.TranscriptChanged += _ => changes++;

        agent.OnTranscript(new BrowserTranscriptLine(1, "user", "", false, false, "item_1", false));
        agent.OnTranscript(new BrowserTranscriptLine(2, "assistant", "Hello.", false, false, "item_2", false));
        agent.OnTranscript(new BrowserTranscriptLine(1, "user", "Hi there", true, false, "item_1", false));
        agent.OnTranscript(new BrowserTranscriptLine(3, "user", "", false, false, "item_3", false));
        agent.OnTranscript(new BrowserTranscriptLine(3, "user", "", false, false, "item_3", true));

        Assert.Equal([("user", "Hi there"), ("assistant", "Hello.")], agent.Transcript.Select(l => (l.Role, l.Text)));
        Assert.Equal(5, changes);
    }

    [Fact]
    public async Task ATool_RunsWithTheModelsArguments_AndItsFaultsBecomeOutputsTheModelReads()
    {
        var agent = new BrowserVoiceAgent(new BrowserVoiceAgentOptions
        {
            Tools =
            [
                AIFunctionFactory.Create((string theme) => $"now {theme}", "set_theme"),
                AIFunctionFactory.Create(string () => throw new InvalidOperationException("the screen is off"), "fail"),
                AIFunctionFactory.Create(async (CancellationToken ct) => { await Task.Delay(Timeout.Infinite, ct); return "never"; }, "hang"),
            ],
            ToolTimeout = TimeSpan.FromMilliseconds(200),
        });

        Assert.Equal("now dark", await agent.RunToolAsync("set_theme", """{"theme":"dark"}"""));
        Assert.Contains("the screen is off", await agent.RunToolAsync("fail", "{}"), StringComparison.Ordinal);
        Assert.Contains("did not answer within", await agent.RunToolAsync("hang", "{}"), StringComparison.Ordinal);
        Assert.Contains("not available", await agent.RunToolAsync("nothing", "{}"), StringComparison.Ordinal);
        Assert.Contains("error", await agent.RunToolAsync("set_theme", "[1]"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheStateAndTheFatalError_FollowThePage()
    {
        var agent = new BrowserVoiceAgent();
        var seen = new List<string>();
        agent.StateChanged += (state, _) => seen.Add(state);

        agent.OnStateChange("listening", null);
        agent.OnStateChange("failed", new BrowserVoiceAgentError("connection_lost", "The connection was lost.", true));

        Assert.Equal(["listening", "failed"], seen);
        Assert.Equal("failed", agent.State);
        Assert.Equal("connection_lost", agent.Error?.Code);
    }

    [Theory]
    [InlineData("microphone_denied: The microphone was not allowed.\nError: at start", "microphone_denied", "The microphone was not allowed.")]
    [InlineData("Something odd", "start_failed", "Something odd")]
    public void AStartFailure_CarriesTheClientsCode(string jsMessage, string code, string message)
    {
        var failure = BrowserVoiceAgentException.From(new JSException(jsMessage));

        Assert.Equal(code, failure.Code);
        Assert.Equal(message, failure.Message);
    }
}
