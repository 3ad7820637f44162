using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;
using V2V.Voice.Turns;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// The service reports an exhausted quota, a rate limit or a failed transcription inside events that otherwise
/// look routine (<c>response.done</c> with status failed, <c>input_audio_transcription.failed</c>): none of them may
/// pass as a silent empty turn.
/// </summary>
public sealed class FailedAnswerTests
{
    private const string Question = "What is the weather like in Paris today?";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QuotaExhausted_EndsTheSessionOnce_WithTheServicesReason_AndNoReconnect()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false, s => s.Faults.FailResponsesWith = "insufficient_quota");

        await harness.Session.SendTextAsync("hello", Ct);
        var outputs = await harness.WaitForAsync(o => o.OfType<StateOutput>().Any(s => s.State == VoiceSessionState.Stopped), "the session to stop");

        var fatal = Assert.Single(outputs.OfType<ErrorOutput>());
        Assert.True(fatal.Fatal);
        Assert.Equal("insufficient_quota", fatal.Code);
        Assert.Contains("exceeded your current quota", fatal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(outputs, o => o is StateOutput { State: VoiceSessionState.Reconnecting });
        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Session.SendTextAsync("again", Ct));
    }

    [Fact]
    public async Task RateLimitedAnswer_IsReportedWithTheWaitTheServiceAsksFor_AndTheSessionGoesOn()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false, s =>
        {
            s.Faults.FailResponsesWith = "rate_limit_exceeded";
            s.Faults.FailResponsesAfter = 1;
        });

        await harness.Session.SendTextAsync("first", Ct);
        await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the first answer");
        await harness.Session.SendTextAsync("second", Ct);
        var outputs = await harness.WaitForAsync(o => o.OfType<ErrorOutput>().Any(), "the rate limit to be reported");

        var error = Assert.Single(outputs.OfType<ErrorOutput>());
        Assert.False(error.Fatal);
        Assert.Equal("rate_limit_exceeded", error.Code);
        Assert.Equal(TimeSpan.FromSeconds(20), error.RetryAfter);
        Assert.Contains("wait 20 s", error.Message, StringComparison.Ordinal);
        // Still a live session: the next question reaches the server.
        await harness.Session.SendTextAsync("third", Ct);
        await harness.WaitForSentAsync("response.create", sent => sent.Count >= 3, "a third response.create");
        Assert.DoesNotContain(harness.Outputs, o => o is StateOutput { State: VoiceSessionState.Stopped });
    }

    [Fact]
    public async Task AnAnswerThatFailsWithAServerError_IsAskedForAgainAfterASecond_OnceForTheTurn()
    {
        // The session's clock is fake: the wait before asking again passes when the test says.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await SessionHarness.StartAsync(o => { o.AudioOut = false; o.TimeProvider = clock; }, s => s.Faults.FailResponsesWith = "server_error");

        await harness.Session.SendTextAsync("hello", Ct);
        var first = Assert.Single((await harness.WaitForAsync(o => o.OfType<ErrorOutput>().Any(), "the first failure")).OfType<ErrorOutput>());
        Assert.True(first.WillRetry);
        Assert.False(first.Fatal);
        Assert.Single(harness.Sent("response.create"));

        clock.Advance(FailedAnswerRetry.ServerErrorWait);
        await harness.WaitForSentAsync("response.create", sent => sent.Count == 2, "the answer asked for again");
        var outputs = await harness.WaitForAsync(o => o.OfType<ErrorOutput>().Count() == 2, "the retry's failure");

        Assert.False(outputs.OfType<ErrorOutput>().Last().WillRetry); // once for the turn: the second failure is reported only
        Assert.Equal(2, harness.Sent("response.create").Count);
    }

    [Fact]
    public async Task AFailedAnswer_IsNotAskedForAgain_WhenTheUserMovedOnMeanwhile()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await SessionHarness.StartAsync(o => { o.AudioOut = false; o.TimeProvider = clock; }, s => s.Faults.FailResponsesWith = "server_error");

        await harness.Session.SendTextAsync("hello", Ct);
        await harness.WaitForAsync(o => o.OfType<ErrorOutput>().Any(), "the first failure");
        await harness.Session.SendTextAsync("are you there?", Ct); // the user moves on before the wait is over
        await harness.WaitForAsync(o => o.OfType<ErrorOutput>().Count() == 2, "the second question's failure");

        clock.Advance(FailedAnswerRetry.ServerErrorWait);
        await harness.WaitForSentAsync("response.create", sent => sent.Count == 3, "the latest question asked for again");
        await harness.WaitForAsync(o => o.OfType<ErrorOutput>().Count() == 3, "its failure");

        // Asked again: the latest question only (its create's parameters are the session's, as the first time).
        Assert.Equal(3, harness.Sent("response.create").Count);
    }

    [Fact]
    public async Task FailingTranscription_IsReportedOnce_WithTheFix_AndAnswersStillCome()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.InputTranscript = true, s => s.Faults.FailTranscriptions = true);
        var speech = Speech.Pcm16(Question, 16000, 1);

        await harness.SendAsync(speech, 16000, 1);
        await harness.WaitForAsync(o => SessionHarness.HasFinalAssistantTranscript(o) && o.OfType<ErrorOutput>().Any(), "the first answer and the failed transcription");
        await harness.SendAsync(speech, 16000, 1);
        await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Count(t => t.Role == TranscriptRole.Assistant && t.IsFinal) >= 2, "the second answer");
        await harness.WaitForReceivedAsync("conversation.item.input_audio_transcription.failed");
        await harness.WaitForAsync(_ => harness.ReceivedEvents.Count(e => e == "conversation.item.input_audio_transcription.failed") >= 2, "the second failed transcription");

        var error = Assert.Single(harness.Outputs.OfType<ErrorOutput>());
        Assert.False(error.Fatal);
        Assert.Contains(nameof(VoiceSessionOptions.TranscriptionModel), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Outputs, o => o is TranscriptOutput { Role: TranscriptRole.User });
        // Each turn's transcript was said to be pending at its commit, and then said not to come: a host holding turns
        // for order holds them no longer.
        var pending = (await harness.WaitForAsync(o => o.OfType<UserTranscriptPendingOutput>().Count(p => !p.Pending) == 2, "both turns' transcripts given up"))
            .OfType<UserTranscriptPendingOutput>().ToList();
        Assert.Equal(2, pending.Count(p => p.Pending));
        Assert.Equal(pending.Where(p => p.Pending).Select(p => p.ItemId), pending.Where(p => !p.Pending).Select(p => p.ItemId));
    }

    [Theory]
    [InlineData("fable")]
    [InlineData("Alloy")]
    [InlineData("nova")]
    public async Task UnknownVoice_IsRefusedBeforeConnecting_NamingTheSettingAndTheVoices(string voice)
    {
        // The service would refuse it only after the connection opened, and the session would run on its default voice.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => VoiceSession.StartAsync(
            new VoiceSessionOptions { Voice = voice, Connection = { BaseUri = new Uri("ws://127.0.0.1:9") } }, cancellationToken: Ct));

        Assert.Equal(nameof(VoiceSessionOptions.Voice), error.ParamName);
        Assert.Contains("marin", error.Message, StringComparison.Ordinal);
        Assert.Contains(voice, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Rate limit reached for the model's tokens per minute. Please try again in 20s.", 20_000)]
    [InlineData("Rate limit reached. Please try again in 1.5s. Visit https://platform.openai.com/account/rate-limits", 1_500)]
    [InlineData("Please try again in 350ms.", 350)]
    public void RetryAfter_IsReadFromTheServicesWording(string message, double expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), V2V.Voice.Connection.FailureClassifier.RetryAfterIn(message));

    [Fact]
    public void RetryAfter_IsNull_WhenTheServiceDoesNotSay() =>
        Assert.Null(V2V.Voice.Connection.FailureClassifier.RetryAfterIn("Rate limit reached for the model's tokens per minute."));
}
