using V2V.Voice.Turns;

namespace V2V.Voice.Tests.Turns;

/// <summary>Which failed answers are asked for again, after what wait, and how often.</summary>
public sealed class FailedAnswerRetryTests
{
    [Fact]
    public void AServerError_IsRetriedAfterASecond_OncePerTurnOfTheUser()
    {
        var retry = new FailedAnswerRetry();

        Assert.Equal(FailedAnswerRetry.ServerErrorWait, retry.WaitBeforeRetry("server_error", null, userMoves: 0));
        Assert.Null(retry.WaitBeforeRetry("server_error", null, userMoves: 0)); // the retry failed too: reported only
        Assert.Equal(FailedAnswerRetry.ServerErrorWait, retry.WaitBeforeRetry("server_error", null, userMoves: 1)); // a new turn
    }

    [Fact]
    public void ARateLimit_IsWaitedOut_WhenItsWaitIsShortEnough()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), new FailedAnswerRetry().WaitBeforeRetry("rate_limit_exceeded", TimeSpan.FromSeconds(3), 0));
        Assert.Null(new FailedAnswerRetry().WaitBeforeRetry("rate_limit_exceeded", FailedAnswerRetry.MaxWait + TimeSpan.FromSeconds(1), 0));
    }

    [Theory]
    [InlineData("insufficient_quota")]
    [InlineData("invalid_value")]
    [InlineData(null)]
    public void WhatNoRetryCanMend_IsNotRetried(string? code) =>
        Assert.Null(new FailedAnswerRetry().WaitBeforeRetry(code, null, 0));
}
