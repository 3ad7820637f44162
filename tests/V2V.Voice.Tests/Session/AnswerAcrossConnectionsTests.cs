using Microsoft.Extensions.Time.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// An answer asked for on a connection that ends before a word of it was heard is asked for again on the next one:
/// a question the user typed is in the history replayed, but nothing else would make the new connection answer it.
/// The server's clock of session lifetimes is fake: the test ends the service's session while the answer is announced
/// and its audio held back.
/// </summary>
public sealed class AnswerAcrossConnectionsTests
{
    [Fact]
    public async Task AnAnswerToTypedText_LostBeforeAWordOfItWasHeard_IsAskedForAgainOnTheNewConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await SessionHarness.StartAsync(o => o.MaxHistory = 20, s =>
        {
            s.TimeProvider = serverTime;
            s.Faults.FirstAudioDelay = TimeSpan.FromSeconds(60); // announced, its audio held back on the first connection
            s.Faults.FirstResponseDelayConnections = 1;
        });

        await harness.Session.SendTextAsync("hello there", ct);
        await harness.WaitForReceivedAsync("response.created");
        serverTime.Advance(TimeSpan.FromMinutes(61)); // the service ends its session before a word is heard

        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal && !t.Interrupted),
            "an answer on the new connection");
        var answer = outputs.OfType<TranscriptOutput>().Last(t => t.Role == TranscriptRole.Assistant && t.IsFinal && !t.Interrupted);
        Assert.Contains("You said: hello there", string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant && t.ItemId == answer.ItemId).Select(t => t.Text)), StringComparison.Ordinal);
        Assert.True(outputs.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2);
    }

    [Fact]
    public async Task AnAnswerLost_JustAfterItsFirstAudio_BeforeItsWords_IsAskedForAgainOnTheNewConnection()
    {
        // The service sends an item's words after the audio they begin in: a connection lost between the two left a breath
        // of the answer and no words. That was taken for an answer whose words had all come, played on (the breath), and
        // never asked for again: the user's question went unanswered. Where the first audio delta comes is learned from the
        // same exchange on a connection left alone; the second session's first connection is dropped right after it.
        var ct = TestContext.Current.CancellationToken;
        int firstAudioAt;
        await using (var probe = await SessionHarness.StartAsync(o => o.PaceOutput = true))
        {
            await probe.Session.SendTextAsync("hello there", ct);
            await probe.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer, on a connection left alone");
            firstAudioAt = probe.ReceivedEvents.ToList().IndexOf("response.output_audio.delta") + 1;
        }
        Assert.True(firstAudioAt > 0);
        await using var harness = await SessionHarness.StartAsync(o => o.PaceOutput = true, s =>
        {
            s.Faults.CloseAfterEvents = firstAudioAt;
            s.Faults.CloseConnections = 1;
            s.Faults.AbortInsteadOfClose = true;
        });

        await harness.Session.SendTextAsync("hello there", ct);
        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal && !t.Interrupted),
            "the answer, asked for again on the new connection");

        var answer = outputs.OfType<TranscriptOutput>().Last(t => t.Role == TranscriptRole.Assistant && t.IsFinal && !t.Interrupted);
        Assert.Equal("You said: hello there", string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.ItemId == answer.ItemId).Select(t => t.Text)).Trim());
        Assert.Equal(2, harness.Sent("response.create").Count);
        Assert.True(outputs.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2);
    }

    [Fact]
    public async Task TheGreeting_LostBeforeAWordOfItWasHeard_IsSpokenOnTheNewConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await SessionHarness.StartAsync(o => o.Greeting = "Welcome to the bakery!", s =>
        {
            s.TimeProvider = serverTime;
            s.Faults.FirstAudioDelay = TimeSpan.FromSeconds(60);
            s.Faults.FirstResponseDelayConnections = 1;
        });

        await harness.Session.UserJoinedAsync(ct);
        await harness.WaitForReceivedAsync("response.created");
        serverTime.Advance(TimeSpan.FromMinutes(61));

        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal && !t.Interrupted),
            "the greeting on the new connection");
        Assert.Contains("Welcome to the bakery!", string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant).Select(t => t.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnswerPartlyHeard_WhenItsConnectionEnds_IsNotAskedForAgain()
    {
        // Some of it reached the listener: it answered, and its words heard are in the history. Asked again, the user
        // would hear it twice.
        var ct = TestContext.Current.CancellationToken;
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await SessionHarness.StartAsync(o => o.MaxHistory = 20, s => s.TimeProvider = serverTime);

        await harness.Session.SendTextAsync("hello there", ct);
        await harness.WaitForAsync(o => o.Any(e => e is HeardAudio), "some of the answer heard");
        serverTime.Advance(TimeSpan.FromMinutes(61));
        await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "the session connected again");
        await harness.Session.SendTextAsync("and again", ct); // a later question: its answer shows the one before had its turn
        await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.Text.Contains("and again", StringComparison.Ordinal)),
            "the answer to the later question");

        Assert.Equal(2, harness.Sent("response.create").Count);
    }
}
