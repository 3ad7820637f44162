using System.Text.Json;
using V2V.Realtime.Protocol;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// The settings of the GA session only: <see cref="VoiceSessionOptions.Speed"/>, <see cref="VoiceSessionOptions.ReasoningEffort"/>, <see cref="VoiceSessionOptions.ParallelToolCalls"/>, <see cref="VoiceSessionOptions.Tracing"/>,
/// <see cref="VoiceSessionOptions.RetentionRatio"/> and <see cref="VoiceSessionOptions.TruncationTokenLimit"/>: asked of the service in its own words (a strict local server
/// takes them, or the session would not start), left to the service when unset, and refused before connecting when the
/// service could not keep them.
/// </summary>
public sealed class GaSessionSettingsTests
{
    [Fact]
    public async Task SpeedReasoningAndRetention_AreAskedOfTheService_AsTheGaSessionNamesThem()
    {
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.Connection.Model = "gpt-realtime-2";
            o.ReasoningEffort = "medium";
            o.ParallelToolCalls = false;
            o.Speed = 1.25;
            o.RetentionRatio = 0.8;
            o.TruncationTokenLimit = 8000;
        });

        var session = (await harness.WaitForSentAsync("session.update")).GetProperty("session");
        Assert.Equal(1.25, session.GetProperty("audio").GetProperty("output").GetProperty("speed").GetDouble());
        Assert.Equal("medium", session.GetProperty("reasoning").GetProperty("effort").GetString());
        Assert.False(session.GetProperty("parallel_tool_calls").GetBoolean());
        var truncation = session.GetProperty("truncation");
        Assert.Equal("retention_ratio", truncation.GetProperty("type").GetString());
        Assert.Equal(0.8, truncation.GetProperty("retention_ratio").GetDouble());
        Assert.Equal(8000, truncation.GetProperty("token_limits").GetProperty("post_instructions").GetInt32());
    }

    [Fact]
    public async Task Tracing_NamesTheTrace_OnceForEachConnection_AndNothingSetIsAuto()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var named = await SessionHarness.StartAsync(o => o.Tracing = new SessionTracing
        {
            WorkflowName = "support line",
            GroupId = "CA1234",
            Metadata = { ["tier"] = "gold" },
        });
        await using var auto = await SessionHarness.StartAsync(o => o.Tracing = new SessionTracing());

        var tracing = (await named.WaitForSentAsync("session.update")).GetProperty("session").GetProperty("tracing");
        Assert.Equal(("support line", "CA1234", "gold"), (tracing.GetProperty("workflow_name").GetString(), tracing.GetProperty("group_id").GetString(), tracing.GetProperty("metadata").GetProperty("tier").GetString()));
        Assert.Equal("auto", (await auto.WaitForSentAsync("session.update")).GetProperty("session").GetProperty("tracing").GetString());
        // A later update of the same connection (a tool registered) leaves it be: the service refuses a change of it.
        await named.Session.RegisterToolAsync(Microsoft.Extensions.AI.AIFunctionFactory.Create(() => "12:00", "get_time"), ct);
        var updates = await named.WaitForSentAsync("session.update", u => u.Count == 2, "the tool's update");
        Assert.False(updates[1].GetProperty("session").TryGetProperty("tracing", out _));
        Assert.Empty(named.Outputs.OfType<V2V.Voice.Outputs.ErrorOutput>());
    }

    [Fact]
    public async Task Unset_TheServiceKeepsItsOwn_NothingIsSent()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.RetentionRatio = 0.5);
        await using var plain = await SessionHarness.StartAsync();

        var session = (await harness.WaitForSentAsync("session.update")).GetProperty("session");
        Assert.False(session.TryGetProperty("truncation", out var t) && t.TryGetProperty("token_limits", out _), "no token limit unless one is given");
        var plainSession = (await plain.WaitForSentAsync("session.update")).GetProperty("session");
        Assert.False(plainSession.TryGetProperty("truncation", out _));
        Assert.False(plainSession.TryGetProperty("reasoning", out _));
        Assert.False(plainSession.TryGetProperty("tracing", out _));
        Assert.False(plainSession.TryGetProperty("parallel_tool_calls", out var parallel) && parallel.ValueKind != JsonValueKind.Null);
        Assert.False(plainSession.GetProperty("audio").GetProperty("output").TryGetProperty("speed", out var speed) && speed.ValueKind != JsonValueKind.Null);
    }

    [Theory]
    [InlineData(nameof(VoiceSessionOptions.Speed), "Speed must be 0.25 to 1.5, or null (the service's, 1) (got 2)")]
    [InlineData(nameof(VoiceSessionOptions.RetentionRatio), "RetentionRatio must be more than 0 and at most 1, or null (the service's own truncation) (got 0)")]
    [InlineData(nameof(VoiceSessionOptions.ReasoningEffort), "ReasoningEffort must be minimal, low, medium, high, xhigh or null (the model's own) (got 'maximal')")]
    [InlineData(nameof(VoiceSessionOptions.TruncationTokenLimit), "TruncationTokenLimit works with RetentionRatio only, as the service's token_limits do; set RetentionRatio too")]
    public void ASettingTheServiceCannotKeep_IsNamed_WithWhatIsAllowed(string setting, string message)
    {
        var options = new VoiceSessionOptions();
        switch (setting)
        {
            case nameof(VoiceSessionOptions.Speed):
                options.Speed = 2;
                break;
            case nameof(VoiceSessionOptions.RetentionRatio):
                options.RetentionRatio = 0;
                break;
            case nameof(VoiceSessionOptions.ReasoningEffort):
                options.ReasoningEffort = "maximal";
                break;
            default:
                options.TruncationTokenLimit = 8000;
                break;
        }

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(setting, ex.ParamName);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnTheBetaDialect_TheGaOnlySettings_AreRefused_EachNamed()
    {
        var options = new VoiceSessionOptions { Speed = 1.2, RetentionRatio = 0.8, ReasoningEffort = "high", Tracing = new(), ParallelToolCalls = true, Connection = new() { Dialect = RealtimeDialect.Beta } };

        var failures = new VoiceSessionOptionsValidator().Validate(null, options).Failures!;

        Assert.Contains(failures, f => f.StartsWith("Speed needs the GA dialect: the beta protocol (Azure's preview endpoint) has no audio.output.speed", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ReasoningEffort needs the GA dialect: the beta protocol (Azure's preview endpoint) has no reasoning", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ParallelToolCalls needs the GA dialect: the beta protocol (Azure's preview endpoint) has no parallel_tool_calls", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Tracing needs the GA dialect: the beta protocol (Azure's preview endpoint) has no tracing", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("RetentionRatio needs the GA dialect: the beta protocol (Azure's preview endpoint) has no truncation", StringComparison.Ordinal));
    }
}
