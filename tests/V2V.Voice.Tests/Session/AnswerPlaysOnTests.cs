using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;
using static V2V.Voice.Tests.Support.CreatedItem;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// The service sends an answer faster than it is played: for most of its playing it is all here. A connection that ends
/// then (a drop, the service's session ending) takes nothing the listener still needs: the answer plays on to its end
/// instead of being cut mid-word, and its words join the new connection's conversation once heard (or what was heard
/// of them, when the user cuts it). The server's clock of session lifetimes is fake: the test ends the service's
/// session while the answer plays.
/// </summary>
public sealed class AnswerPlaysOnTests
{
    private const string Question = "Tell me a long story about the sea and the ships that sail on it every day.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAnswerAllHere_WhenItsConnectionEnds_PlaysOnToItsEnd_AndItsWordsJoinTheNewConnection()
    {
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await StartAsync(serverTime);

        var answerItem = await AskAndEndTheConnectionWhileTheAnswerPlaysAsync(harness, serverTime);

        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.ItemId == answerItem && t.IsFinal),
            "the answer's final transcript");
        var final = Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.ItemId == answerItem && t.IsFinal);
        Assert.False(final.Interrupted);
        Assert.DoesNotContain(outputs, o => o is FlushOutput);
        var lostAt = outputs.ToList().FindIndex(o => o is StateOutput { State: VoiceSessionState.Reconnecting });
        Assert.True(lostAt >= 0, "the connection ended");
        Assert.Contains(outputs.Skip(lostAt).OfType<HeardAudio>(), a => a.ItemId == answerItem); // played after it ended
        var said = string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.ItemId == answerItem).Select(t => t.Text));
        Assert.Contains("You said:", said, StringComparison.Ordinal);

        // Heard to its end after the new connection went live: its words are given to that connection, once, before
        // anything the user says next.
        await harness.Session.SendTextAsync("and then?", Ct);
        await WaitForAnotherAnswerAsync(harness, answerItem, "the answer to the next question");
        var created = harness.Sent("conversation.item.create").ToList();
        var given = Assert.Single(created, e => AssistantTexts([e]).Any());
        Assert.Equal(said.Trim(), TextOf(given)!.Trim());
        Assert.True(created.IndexOf(given) < created.FindLastIndex(e => TextOf(e) == "and then?"), "the answer's words before the next question");
        Assert.Empty(harness.Sent("conversation.item.truncate"));
        Assert.Empty(UnexpectedErrors(harness.Outputs));
    }

    [Fact]
    public async Task AToolRoundsAnswerAllHere_WhenItsConnectionEnds_PlaysOnToItsEnd_TheToolNotRunAgain_NorTheAnswerAskedAgain()
    {
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await StartAsync(serverTime);
        var runs = 0;
        await harness.Session.RegisterToolAsync(Microsoft.Extensions.AI.AIFunctionFactory.Create((string city) =>
        {
            Interlocked.Increment(ref runs);
            return "noon";
        }, "get_time", "The time in a city."), Ct);

        await harness.Session.SendTextAsync("get_time Paris", Ct);
        var first = (HeardAudio)(await harness.WaitForAsync(o => o.OfType<HeardAudio>().Count() >= 20, "200 ms of the tool round's answer played")).First(o => o is HeardAudio);
        await harness.WaitForAsync(_ => harness.ReceivedEvents.Count(e => e == "response.done") >= 2, "the call's response and its answer's done");
        serverTime.Advance(TimeSpan.FromMinutes(61));

        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.ItemId == first.ItemId && t.IsFinal), "the answer's final transcript");
        Assert.False(Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.ItemId == first.ItemId && t.IsFinal).Interrupted);
        await harness.Session.SendTextAsync("and then?", Ct);
        outputs = await WaitForAnotherAnswerAsync(harness, first.ItemId, "the answer to the next question");

        Assert.Equal(1, runs);
        Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.IsFinal && t.Role == TranscriptRole.Assistant
            && string.Concat(outputs.OfType<TranscriptOutput>().Where(p => p.ItemId == t.ItemId).Select(p => p.Text)).Contains("returned", StringComparison.Ordinal));
        Assert.Empty(UnexpectedErrors(outputs));
    }

    [Fact]
    public async Task WithNoHistoryKept_AnAnswerPlaysOn_ButItsWordsAreNotGivenToTheNewConnection()
    {
        // max_history 0: a new connection starts afresh, and the words of an answer heard across it are no exception.
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await StartAsync(serverTime, maxHistory: 0);

        var answerItem = await AskAndEndTheConnectionWhileTheAnswerPlaysAsync(harness, serverTime, untilTheNextIsLive: true);
        await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.ItemId == answerItem && t.IsFinal), "the answer's final transcript");
        await harness.Session.SendTextAsync("and then?", Ct);
        var outputs = await WaitForAnotherAnswerAsync(harness, answerItem, "the answer to the next question");

        Assert.False(Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.ItemId == answerItem && t.IsFinal).Interrupted);
        Assert.DoesNotContain(outputs, o => o is FlushOutput);
        Assert.Empty(AssistantTexts(harness.Sent("conversation.item.create")));
    }

    [Fact]
    public async Task AnAnswerPlayingOn_CutByTheUser_GivesTheNewConnectionWhatWasHeard_BeforeTheUsersWords()
    {
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await StartAsync(serverTime);

        var answerItem = await AskAndEndTheConnectionWhileTheAnswerPlaysAsync(harness, serverTime, untilTheNextIsLive: true);
        await harness.Session.SendTextAsync("stop there", Ct);

        var outputs = await WaitForAnotherAnswerAsync(harness, answerItem, "the answer to the words that cut it");
        var cut = Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.ItemId == answerItem && t.IsFinal);
        Assert.True(cut.Interrupted);
        Assert.Contains(outputs, o => o is FlushOutput);
        var heard = string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.ItemId == answerItem).Select(t => t.Text)).Trim();

        // The new connection never had the item: nothing is truncated there (it would refuse it); it is given the words
        // heard, before the user's that cut them.
        Assert.Empty(harness.Sent("conversation.item.truncate"));
        Assert.Empty(UnexpectedErrors(outputs));
        var created = harness.Sent("conversation.item.create");
        var heardAt = created.ToList().FindIndex(e => AssistantTexts([e]).Any());
        var stopAt = created.ToList().FindLastIndex(e => TextOf(e) == "stop there");
        Assert.True(heardAt >= 0 && heardAt < stopAt, $"the words heard ({heardAt}) before the user's ({stopAt})");
        Assert.Equal(heard, TextOf(created[heardAt])!.Trim());
    }

    [Fact]
    public async Task AnAnswerPlayingOn_CutByTheUsersSpeech_TheSpeechIsAnswered()
    {
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await StartAsync(serverTime);

        var answerItem = await AskAndEndTheConnectionWhileTheAnswerPlaysAsync(harness, serverTime, untilTheNextIsLive: true);
        await harness.SendAsync(V2V.Testing.Speech.Pcm16("Stop there, please.", 16000, 1), 16000, 1);

        var outputs = await WaitForAnotherAnswerAsync(harness, answerItem, "the answer to the speech that cut it");
        Assert.True(Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.ItemId == answerItem && t.IsFinal).Interrupted);
        Assert.Empty(UnexpectedErrors(outputs));
    }

    [Fact]
    public async Task ARenewalDueWhileAWholeAnswerPlays_DoesNotWaitForItsEnd_NorCutIt()
    {
        // Both sides on one fake clock, the service's sessions 30 minutes long: from minute 24 the connection is renewed at
        // the next quiet moment. An answer all here and playing is one: nothing of it is still to come from the old
        // connection. (Before, a renewal waited for its end, and at minute 29 was forced and cut the answer mid-word.)
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        await using var harness = await StartOnOneClockAsync(clock);

        await harness.Session.SendTextAsync(Question, Ct);
        var answerItem = ((HeardAudio)(await harness.WaitForAsync(o => o.OfType<HeardAudio>().Count() >= 20, "200 ms of the answer played")).First(o => o is HeardAudio)).ItemId;
        await harness.WaitForReceivedAsync("response.done");
        clock.Advance(TimeSpan.FromMinutes(25)); // in the quiet window, short of the forced renewal
        await harness.WaitForSentAsync("session.update", sent => sent.Count >= 2, "the renewed connection's configuration");

        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.ItemId == answerItem && t.IsFinal), "the answer's final transcript");
        var renewedAt = outputs.ToList().FindLastIndex(o => o is StateOutput { State: VoiceSessionState.Connected });
        Assert.True(renewedAt > 0 && outputs.Skip(renewedAt).OfType<HeardAudio>().Any(a => a.ItemId == answerItem), "the answer played on after the renewal");
        Assert.False(Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.ItemId == answerItem && t.IsFinal).Interrupted);
        Assert.DoesNotContain(outputs, o => o is FlushOutput);
        Assert.DoesNotContain(outputs, o => o is StateOutput { State: VoiceSessionState.Reconnecting });
        Assert.Empty(harness.Sent("response.cancel"));
        Assert.Empty(outputs.OfType<ErrorOutput>());
    }

    [Fact]
    public async Task ARenewalPastItsForcedTime_WaitsForAnAnswerStillComing_AndThenLetsItPlayOn()
    {
        // From minute 29 of 30 a renewal no longer waits for a quiet moment, but an answer still coming is not cut before
        // minute 29.5: it comes whole in seconds at the service's pace, and then plays on. The answer is announced at
        // once and its audio held back for 5 s of wall time (the server's fault); the test's clock is at minute 29.1 then.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        await using var harness = await StartOnOneClockAsync(clock, s =>
        {
            s.Faults.FirstAudioDelay = TimeSpan.FromSeconds(5);
            s.Faults.FirstResponseDelayConnections = 1;
        });

        await harness.Session.SendTextAsync(Question, Ct);
        await harness.WaitForReceivedAsync("response.created");
        clock.Advance(TimeSpan.FromMinutes(29.1)); // past the forced time, the answer still coming
        await harness.WaitForReceivedAsync("response.done"); // its audio came, all of it
        clock.Advance(TimeSpan.FromSeconds(1)); // the next look, short of minute 29.5
        await harness.WaitForSentAsync("session.update", sent => sent.Count >= 2, "the renewed connection's configuration");

        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal), "the answer's final transcript");
        Assert.False(Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.Assistant && t.IsFinal).Interrupted);
        Assert.DoesNotContain(outputs, o => o is FlushOutput);
        Assert.Empty(harness.Sent("response.cancel"));
        Assert.Single(harness.Sent("response.create")); // answered once, on the old connection
        Assert.Empty(outputs.OfType<ErrorOutput>());
    }

    /// <summary>A session whose service's sessions last 30 minutes, both sides on <paramref name="clock"/>, the server sending answers at once.</summary>
    private static Task<SessionHarness> StartOnOneClockAsync(FakeTimeProvider clock, Action<V2V.Simulator.LocalRealtimeServerOptions>? server = null) => SessionHarness.StartAsync(o =>
    {
        o.PaceOutput = true;
        o.MaxHistory = 20;
        o.TimeProvider = clock;
    }, s =>
    {
        s.TimeProvider = clock;
        s.SpeedFactor = 0; // no server waits but the test's: all of an answer at once
        s.SplitAnswersLongerThanMs = 0; // one item: its final is the answer's end
        s.SessionLifetime = TimeSpan.FromMinutes(30);
        server?.Invoke(s);
    });

    private static Task<SessionHarness> StartAsync(FakeTimeProvider serverTime, int maxHistory = 20) => SessionHarness.StartAsync(o =>
    {
        o.PaceOutput = true;
        o.MaxHistory = maxHistory;
    }, s =>
    {
        s.TimeProvider = serverTime;
        s.SpeedFactor = 1;
        s.GenerationSpeed = 1000; // all of it here at once, long before it is heard
        s.SplitAnswersLongerThanMs = 0; // one item: its final is the answer's end
    });

    /// <summary>
    /// Asks a question; once its answer is all here and some of it heard, the service ends its session (and, with
    /// <paramref name="untilTheNextIsLive"/>, the session's next connection is live). Returns the answer's item.
    /// </summary>
    private static async Task<string> AskAndEndTheConnectionWhileTheAnswerPlaysAsync(SessionHarness harness, FakeTimeProvider serverTime, bool untilTheNextIsLive = false)
    {
        await harness.Session.SendTextAsync(Question, Ct);
        var first = (HeardAudio)(await harness.WaitForAsync(o => o.OfType<HeardAudio>().Count() >= 20, "200 ms of the answer played")).First(o => o is HeardAudio);
        await harness.WaitForReceivedAsync("response.done");
        serverTime.Advance(TimeSpan.FromMinutes(61));
        if (untilTheNextIsLive)
        {
            await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "the new connection");
        }
        return first.ItemId;
    }

    private static Task<IReadOnlyList<VoiceSessionEvent>> WaitForAnotherAnswerAsync(SessionHarness harness, string answerItem, string what) =>
        harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal && t.ItemId != answerItem), what);

    /// <summary>Errors other than the service's notice that it ended its session (the test's doing).</summary>
    private static IEnumerable<ErrorOutput> UnexpectedErrors(IEnumerable<VoiceSessionEvent> outputs) =>
        outputs.OfType<ErrorOutput>().Where(e => e.Code != "session_expired");

    private static IEnumerable<string> AssistantTexts(IEnumerable<JsonElement> created) =>
        created.Where(e => Role(e) == "assistant").Select(e => TextOf(e)!);
}
