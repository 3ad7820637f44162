using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Tools;

/// <summary>
/// Tools as .NET code writes them: an <see cref="AIFunction"/> over a method in <see cref="VoiceSessionOptions.Tools"/>
/// is offered with the schema derived from the method, called with the model's arguments against the local server,
/// and its result, or its exception, is the output the model goes on from.
/// </summary>
public sealed class AIFunctionToolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMethodIsOfferedWithItsSchema_CalledWithTheModelsArguments_AndItsResultIsTheOutput()
    {
        var asked = new List<string>();
        [Description("The current time in a time zone.")]
        LocalTime GetCurrentTime([Description("An IANA time zone")] string timezone)
        {
            lock (asked)
            {
                asked.Add(timezone);
            }
            return new LocalTime(timezone, "12:00");
        }
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.Tools = [AIFunctionFactory.Create(GetCurrentTime, name: "get_current_time")];
        });

        await harness.Session.SendTextAsync("get_current_time Europe/Paris", Ct);
        var outputs = await harness.WaitForAsync(o => Said(o).Contains("returned", StringComparison.Ordinal), "the answer after the tool");

        var tool = harness.Sent("session.update").First().GetProperty("session").GetProperty("tools")[0];
        Assert.Equal("get_current_time", tool.GetProperty("name").GetString());
        Assert.Equal("The current time in a time zone.", tool.GetProperty("description").GetString());
        Assert.Equal("string", tool.GetProperty("parameters").GetProperty("properties").GetProperty("timezone").GetProperty("type").GetString());
        Assert.Equal("timezone", tool.GetProperty("parameters").GetProperty("required")[0].GetString());
        Assert.Equal("Europe/Paris", Assert.Single(asked));
        var output = Assert.Single(harness.Sent("conversation.item.create"), e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output");
        // The record as JSON (MEAI's serializer options name its properties).
        var result = JsonDocument.Parse(output.GetProperty("item").GetProperty("output").GetString()!).RootElement;
        Assert.Equal(["Europe/Paris", "12:00"], result.EnumerateObject().Select(p => p.Value.GetString()));
        Assert.Contains("12:00", Said(outputs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFunctionThatThrows_GivesTheModelAnErrorOutput_AndTheConversationGoesOn()
    {
        [Description("The current time in a time zone.")]
        static string GetCurrentTime(string timezone) => throw new InvalidOperationException($"no clock for {timezone}");
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.Tools = [AIFunctionFactory.Create(GetCurrentTime, name: "get_current_time")];
        });

        await harness.Session.SendTextAsync("get_current_time Europe/Paris", Ct);
        var outputs = await harness.WaitForAsync(o => Said(o).Contains("returned", StringComparison.Ordinal), "the answer after the failed tool");

        Assert.Contains("no clock for Europe/Paris", Said(outputs), StringComparison.Ordinal);
        Assert.Contains("error", Said(outputs), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoFunctionsOfOneName_AreRefused_NamingTheSetting()
    {
        static string Now() => "12:00";
        var options = new VoiceSessionOptions { Tools = [AIFunctionFactory.Create(Now, name: "now"), AIFunctionFactory.Create(Now, name: "now")] };

        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);

        Assert.Contains("Tools", error.Message, StringComparison.Ordinal);
        Assert.Contains("'now'", error.Message, StringComparison.Ordinal);
    }

    private sealed record LocalTime(string Timezone, string Time);

    private static string Said(IReadOnlyList<VoiceSessionEvent> outputs) =>
        string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant).Select(t => t.Text));
}
