using System.Text.Json.Nodes;
using V2V.Extension.Tests.Support;
using V2V.Ten.Messages;

namespace V2V.Extension.Tests;

/// <summary>
/// The <c>error</c> data a graph gets when an answer fails at the service: what failed, and what happens next,
/// so that a listener can tell a user "one moment" from "try again later".
/// </summary>
public sealed class ErrorDataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Properties() => new()
    {
        ["api_key"] = "",
        ["audio_out"] = false,
        ["greet_on_join"] = false,
        ["stream_id"] = 9,
    };

    private static List<DataMessage> Errors(ProbeSink probe) => [.. probe.Received.OfType<DataMessage>().Where(d => d.Name == "error")];

    [Fact]
    public async Task AnAnswerThatFailsWithAServerError_SaysItWillBeAskedAgain_AndTheRetrysFailureSaysNot()
    {
        await using var harness = await GraphHarness.StartAsync(null, Properties(), textSource: "Hello there.", server: s => s.Faults.FailResponsesWith = "server_error");
        await harness.Text!.SayAsync(Ct);

        // The session asks again by itself after a second; the retry fails too and is only reported.
        await harness.WaitForAsync(p => Errors(p).Count == 2, "the failure and its retry's failure");

        var errors = Errors(harness.Probe);
        Assert.All(errors, e => Assert.Equal(("server_error", false), (e.GetString("code"), e.GetBool("fatal")!.Value)));
        Assert.Equal([true, false], errors.Select(e => e.GetBool("will_retry")!.Value));
        Assert.All(errors, e => Assert.Null(e.GetInt64("retry_after_ms")));
        Assert.Equal(2, harness.Sent("response.create").Count);
    }

    [Fact]
    public async Task ARateLimitedAnswer_CarriesTheWaitTheServiceAsksFor()
    {
        await using var harness = await GraphHarness.StartAsync(null, Properties(), textSource: "Hello there.", server: s => s.Faults.FailResponsesWith = "rate_limit_exceeded");
        await harness.Text!.SayAsync(Ct);

        await harness.WaitForAsync(p => Errors(p).Count == 1, "the rate limit to be reported");

        var error = Assert.Single(Errors(harness.Probe));
        Assert.Equal("rate_limit_exceeded", error.GetString("code"));
        Assert.False(error.GetBool("fatal"));
        Assert.Contains("wait 20 s", error.GetString("message"), StringComparison.Ordinal);
        Assert.Equal(20_000L, error.GetInt64("retry_after_ms"));
        Assert.False(error.GetBool("will_retry")); // a wait over 15 s is the user's to decide on, not asked again by itself
    }
}
