using System.Text.Json;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;
using V2V.Voice.Tools;

namespace V2V.Voice.Tests.Session;

/// <summary>function_call_arguments.done → the tool → function_call_output → response.create, and failures that keep the conversation going.</summary>
public sealed class ToolCallTests
{
    private static readonly VoiceTool TimeTool = new("get_current_time", "The current time in a time zone.",
        JsonDocument.Parse("""{"type":"object","properties":{"timezone":{"type":"string"}},"required":["timezone"]}""").RootElement);

    [Fact]
    public async Task ToolCall_RoundTrips_AndTheModelGoesOnWithTheOutput()
    {
        var calls = new List<ToolCall>();
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false, tools: (call, _) =>
        {
            lock (calls)
            {
                calls.Add(call);
            }
            return Task.FromResult("""{"timezone":"Europe/Paris","local_time":"12:00"}""");
        });
        await harness.Session.RegisterToolAsync(TimeTool, TestContext.Current.CancellationToken);

        await harness.Session.SendTextAsync("get_current_time Europe/Paris", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(o => Said(o).Contains("returned", StringComparison.Ordinal), "the answer after the tool");

        var call = Assert.Single(calls);
        Assert.Equal("get_current_time", call.Name);
        Assert.Equal("Europe/Paris", JsonDocument.Parse(call.Arguments).RootElement.GetProperty("timezone").GetString());
        var output = Assert.Single(harness.Sent("conversation.item.create"), e => e.GetProperty("item").GetProperty("type").GetString() == "function_call_output");
        Assert.Equal(call.CallId, output.GetProperty("item").GetProperty("call_id").GetString());
        Assert.Contains("local_time", Said(outputs), StringComparison.Ordinal);
        Assert.Equal(2, harness.Sent("response.create").Count); // the user's text, then after the tool output
        var update = harness.Sent("session.update").Last();
        Assert.Equal("get_current_time", update.GetProperty("session").GetProperty("tools")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task FailingTool_GivesTheModelAnErrorOutput_AndTheConversationGoesOn()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false, tools: (_, _) => throw new InvalidOperationException("the clock is broken"));
        await harness.Session.RegisterToolAsync(TimeTool, TestContext.Current.CancellationToken);

        await harness.Session.SendTextAsync("get_current_time Europe/Paris", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(o => Said(o).Contains("returned", StringComparison.Ordinal), "the answer after the failed tool");

        Assert.Contains("the clock is broken", Said(outputs), StringComparison.Ordinal);
        Assert.Contains("error", Said(outputs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowTool_TimesOut_WithAnErrorOutput()
    {
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.ToolTimeout = TimeSpan.FromMilliseconds(200);
        }, tools: async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return "never";
        });
        await harness.Session.RegisterToolAsync(TimeTool, TestContext.Current.CancellationToken);

        await harness.Session.SendTextAsync("get_current_time Europe/Paris", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(o => Said(o).Contains("returned", StringComparison.Ordinal), "the answer after the timeout");

        Assert.Contains("did not answer within 0.2 s", Said(outputs), StringComparison.Ordinal);
    }

    private static string Said(IReadOnlyList<VoiceSessionOutput> outputs) =>
        string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant).Select(t => t.Text));
}
