using V2V.Realtime.Client;
using V2V.Voice.Connection;

namespace V2V.Voice.Tests.Connection;

/// <summary>Whether a retry can help, decided from error codes, close codes and handshake statuses together.</summary>
public sealed class FailureClassifierTests
{
    public static TheoryData<string?, int?, string> Ends => new()
    {
        // error code of the last error event, close status, what it calls for
        { "invalid_api_key", 1011, "Fatal" },
        { "insufficient_quota", null, "Fatal" },
        { "billing_hard_limit_reached", 1000, "Fatal" },
        { "beta_api_shape_disabled", 4000, "Fatal" },
        { "model_not_found", 1008, "Fatal" },
        { "DeploymentNotFound", null, "Fatal" },
        { null, 4000, "Fatal" },
        { "server_error", 4000, "Fatal" },
        { "session_expired", 1001, "Renewal" },
        { "session_expired", null, "Renewal" },
        { null, 1001, "Renewal" },
        { "server_error", 1011, "Transient" },
        { "rate_limit_exceeded", 1011, "Transient" },
        { null, 1000, "Transient" },
        { null, null, "Transient" },
        // A fatal code wins over the close that follows it.
        { "insufficient_quota", 1001, "Fatal" },
    };

    [Theory]
    [MemberData(nameof(Ends))]
    public void AConnectionThatEnded_IsClassifiedByItsLastErrorAndCloseStatusTogether(string? code, int? closeStatus, string expected)
    {
        var verdict = FailureClassifier.Classify(new ConnectionEnd(null, closeStatus, "reason", code, code is null ? null : "the service's words"));

        Assert.Equal(expected, verdict.Kind.ToString());
        if (code is not null)
        {
            Assert.Contains(code, verdict.Reason, StringComparison.Ordinal);
        }
    }

    public static TheoryData<int?, string> Handshakes => new()
    {
        { null, "Transient" },
        { 408, "Transient" },
        { 429, "Transient" },
        { 500, "Transient" },
        { 502, "Transient" },
        { 503, "Transient" },
        { 400, "Fatal" },
        { 401, "Fatal" },
        { 403, "Fatal" },
        { 404, "Fatal" },
        { 426, "Fatal" },
    };

    [Theory]
    [MemberData(nameof(Handshakes))]
    public void ARefusedHandshake_IsClassifiedByItsStatus(int? status, string expected)
    {
        RealtimeException error = status is 401 or 403
            ? new RealtimeAuthenticationException("refused the credentials", "wss://x/v1/realtime", status.Value)
            : new RealtimeHandshakeException($"refused with {status}", "wss://x/v1/realtime", status);

        Assert.Equal(expected, FailureClassifier.Classify(error).Kind.ToString());
    }

    [Fact]
    public void ExceptionsOfEachKind_AreClassified()
    {
        Assert.Equal(FailureKind.Fatal, FailureClassifier.Classify(new RealtimeConfigurationException("base_uri", "bad")).Kind);
        Assert.Equal(FailureKind.Transient, FailureClassifier.Classify(new RealtimeConnectionLostException("gone")).Kind);
        Assert.Equal(FailureKind.Fatal, FailureClassifier.Classify(new ArgumentException("a fault of this side")).Kind);
        Assert.Equal(FailureKind.Renewal, FailureClassifier.Classify(new ConnectionEndedException(new ConnectionEnd(null, 1001, null, "session_expired", "max duration"))).Kind);
        Assert.Equal(FailureKind.Fatal, FailureClassifier.Classify(new ConnectionEndedException(new ConnectionEnd(null, 1011, null, "invalid_api_key", "no"))).Kind);
    }

    [Fact]
    public void TheNotFoundHandshake_SaysToCheckTheModelOrDeployment()
    {
        var verdict = FailureClassifier.Classify(new RealtimeHandshakeException("refused with HTTP 404.", "wss://x", 404));

        Assert.Contains("deployment", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Rate limit reached. Please try again in 1.5s.", 1500)]
    [InlineData("Please try again in 20ms.", 20)]
    [InlineData("Please try again in 1m30s.", 90_000)]
    [InlineData("Rate limit reached.", null)]
    [InlineData(null, null)]
    public void ARateLimit_WaitsWhatTheServiceAsks(string? message, int? expectedMs)
    {
        var verdict = FailureClassifier.Classify(new ConnectionEnd(null, 1011, null, "rate_limit_exceeded", message));

        Assert.Equal(FailureKind.Transient, verdict.Kind);
        Assert.Equal(expectedMs, verdict.RetryAfter is { } wait ? (int)wait.TotalMilliseconds : null);
    }

    [Fact]
    public void TheFatalCodesOfServerErrors_AreTheSameList()
    {
        Assert.True(FailureClassifier.IsFatalCode("billing_hard_limit_reached"));
        Assert.True(FailureClassifier.IsFatalCode("beta_api_shape_disabled"));
        Assert.False(FailureClassifier.IsFatalCode("session_expired"));
        Assert.False(FailureClassifier.IsFatalCode("conversation_already_has_active_response"));
        Assert.False(FailureClassifier.IsFatalCode(null));
    }
}
