using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;
using V2V.Voice.Turns;
using static V2V.Voice.Tests.Support.CreatedItem;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// The service sends an answer about four times faster than it is played: when its connection ends in the middle of
/// one, seconds of it are here and not yet played. They play on, cut short where they end; the words they hold join the
/// new connection's conversation, and the new connection is asked to go on from there. The server's clock of session
/// lifetimes is fake: the test ends the service's session while the answer is still coming.
/// </summary>
public sealed class AnswerCutShortTests
{
    // A long answer (the local server says it back): about 15 s of voice.
    private const string Question =
        "Tell me a long story about the sea, the ships that sail on it every day, the sailors who work on them in every " +
        "kind of weather, and the harbours where they come home to rest at the end of their long journeys.";

    private const string Answer = "You said: " + Question;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAnswerStillComing_WhenItsConnectionEnds_PlaysWhatCame_AndTheNewConnectionContinuesIt()
    {
        // Sent twice as fast as it is played: a second of it played, two seconds of it here, and it is far from whole.
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await StartAsync(serverTime, generationSpeed: 2);

        var cutItem = await EndTheConnectionInTheMiddleOfAnAnswerAsync(harness, serverTime);
        var outputs = await harness.WaitForAsync(o => AfterTheEndOf(cutItem, o).OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal),
            "the continuation, heard whole");

        // What came played on: no flush, its audio heard after the connection ended, its words closed as cut.
        Assert.DoesNotContain(outputs, o => o is FlushOutput);
        var lostAt = outputs.ToList().FindIndex(o => o is StateOutput { State: VoiceSessionState.Reconnecting });
        Assert.True(lostAt >= 0, "the connection ended");
        Assert.True(outputs.Skip(lostAt).OfType<HeardAudio>().Count(a => a.ItemId == cutItem) >= 50, "at least 500 ms of the answer played on after its connection ended");
        var final = Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.ItemId == cutItem && t.IsFinal);
        Assert.True(final.Interrupted);
        var said = string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.ItemId == cutItem).Select(t => t.Text)).Trim();
        // The pace learned from the first answer: its words as far as its voice went (a second and more of it), not those
        // that never came as voice.
        Assert.StartsWith("You said: Tell me", said, StringComparison.Ordinal);
        Assert.StartsWith(said, Answer, StringComparison.Ordinal);
        Assert.True(said.Length < Answer.Length / 2, $"the words of about two seconds of a fifteen-second answer, not \"{said}\"");

        // The new connection was given those words, then asked to go on from them, once.
        var created = harness.Sent("conversation.item.create").ToList();
        var givenAt = created.FindIndex(e => Role(e) == "assistant" && TextOf(e)!.Trim() == said);
        var continueAt = created.FindIndex(e => Role(e) == "system" && TextOf(e)!.Contains("cut off", StringComparison.Ordinal));
        Assert.True(givenAt >= 0 && continueAt > givenAt, $"the words heard ({givenAt}) before the request to go on ({continueAt})");
        Assert.Single(created, e => Role(e) == "system" && TextOf(e)!.Contains("cut off", StringComparison.Ordinal));
        Assert.Equal(3, harness.Sent("response.create").Count); // the first question, the long one, the continuation
        Assert.Empty(harness.Sent("conversation.item.truncate"));
        Assert.DoesNotContain(outputs.OfType<ErrorOutput>(), e => e.Code != "session_expired");

        // The local agent, asked to go on from the words it was given, says the rest of its answer: the listener heard it
        // all, the words that were cut short and then the rest, nothing twice.
        var rest = string.Concat(AfterTheEndOf(cutItem, outputs).OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant).Select(t => t.Text)).Trim();
        Assert.Equal(Normalize(Answer), Normalize(said + " " + rest));
    }

    [Fact]
    public async Task AContinuationLostWithItsConnectionBeforeAWord_IsAskedAgainOnTheNext_WithItsNote()
    {
        // The continuation is asked on the second connection, whose answer's audio the server holds back; that connection
        // ends before a word of it comes. The third is asked for it again, with the note that says what is asked (the
        // history it is given holds the words heard, not the notes), and the listener hears the rest of the answer.
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await StartAsync(serverTime, generationSpeed: 2);
        var faults = harness.Server.Options.Faults;

        var cutItem = await EndTheConnectionInTheMiddleOfAnAnswerAsync(harness, serverTime);
        faults.FirstAudioDelay = TimeSpan.FromSeconds(60); // the next connection's first answer, the continuation: no audio yet
        await harness.WaitForSentAsync("conversation.item.create", sent => sent.Count(e => Role(e) == "system" && TextOf(e)!.Contains("cut off", StringComparison.Ordinal)) >= 1,
            "the continuation asked on the second connection");
        await harness.WaitForAsync(_ => harness.ReceivedEvents.Count(e => e == "response.created") >= 3, "the continuation created there");
        faults.FirstAudioDelay = null;
        serverTime.Advance(TimeSpan.FromMinutes(31)); // the second connection's session ends too

        var outputs = await harness.WaitForAsync(o => AfterTheEndOf(cutItem, o).OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal),
            "the continuation, heard whole on the third connection", guardSeconds: 60);
        Assert.Equal(3, outputs.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected));
        Assert.Equal(2, harness.Sent("conversation.item.create").Count(e => Role(e) == "system" && TextOf(e)!.Contains("cut off", StringComparison.Ordinal)));
        Assert.Equal(4, harness.Sent("response.create").Count); // the first question, the long one, the continuation twice
        var said = string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.ItemId == cutItem).Select(t => t.Text)).Trim();
        var rest = string.Concat(AfterTheEndOf(cutItem, outputs).OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant).Select(t => t.Text)).Trim();
        Assert.Equal(Normalize(Answer), Normalize(said + " " + rest));
    }

    [Fact]
    public async Task WithLocalVad_AndTheMicrophoneOpen_AnAnswerCutShortIsContinued_ItsSilenceIsNoTurnOfTheUsers()
    {
        // The microphone streams on while the agent speaks, as it does with the local detector: the silence sent since the
        // last turn was taken for the user's unanswered turn, sent again to the new connection, and the answer cut short
        // was then never continued ("the user spoke").
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await StartAsync(serverTime, generationSpeed: 2, turnMode: TurnMode.LocalVad);
        using var microphone = new CancellationTokenSource();
        var silence = SendSilenceAsync(harness, microphone.Token);

        var cutItem = await EndTheConnectionInTheMiddleOfAnAnswerAsync(harness, serverTime);
        var outputs = await harness.WaitForAsync(o => AfterTheEndOf(cutItem, o).OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal),
            "the continuation, heard whole");
        await microphone.CancelAsync();
        await silence;

        Assert.DoesNotContain(outputs, o => o is FlushOutput);
        Assert.Single(harness.Sent("conversation.item.create"), e => Role(e) == "system" && TextOf(e)!.Contains("cut off", StringComparison.Ordinal));
        Assert.Empty(harness.Sent("input_audio_buffer.commit")); // the user never spoke
    }

    /// <summary>20 ms of silence every 20 ms, as an open microphone sends, until <paramref name="ct"/> is cancelled.</summary>
    private static async Task SendSilenceAsync(SessionHarness harness, CancellationToken ct)
    {
        var frame = new byte[640];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await harness.Session.SendAudioAsync(frame, 16000, cancellationToken: ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Fact]
    public async Task AnAnswerCutShort_ThatTheUserCutsWhilePlayingOn_IsNotContinued()
    {
        var serverTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await StartAsync(serverTime);

        var cutItem = await EndTheConnectionInTheMiddleOfAnAnswerAsync(harness, serverTime);
        // Runs once the new connection is live, with seconds of the answer still to play (a second played, four here).
        await harness.Session.SendTextAsync("stop there", Ct);

        var outputs = await harness.WaitForAsync(o => AfterTheEndOf(cutItem, o).OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal),
            "the answer to the words that cut it");
        Assert.Contains(outputs, o => o is FlushOutput);
        Assert.True(Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.ItemId == cutItem && t.IsFinal).Interrupted);
        var created = harness.Sent("conversation.item.create");
        Assert.DoesNotContain(created, e => Role(e) == "system" && TextOf(e)!.Contains("cut off", StringComparison.Ordinal));
        Assert.Equal(3, harness.Sent("response.create").Count); // the first question, the long one, the words that cut it
        Assert.Empty(harness.Sent("conversation.item.truncate"));
        Assert.DoesNotContain(outputs.OfType<ErrorOutput>(), e => e.Code != "session_expired");
    }

    [Fact]
    public async Task ARenewalInTheLastHalfMinute_CutsShortAnAnswerStillComing_CancelsItOnTheOldConnection_AndTheNewOneContinuesIt()
    {
        // Both sides on one fake clock, the service's sessions 30 minutes long: past minute 29.5 a renewal no longer waits
        // for an answer still coming. The old connection is still open: the answer is cancelled there, and what came of
        // it plays on across the renewal.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        await using var harness = await StartAsync(clock, generationSpeed: 2, clientClock: clock);

        var before = await LearnThePaceAndAskAsync(harness);
        var outputs = await harness.WaitForAsync(o => o.Skip(before).OfType<HeardAudio>().Count() >= 100, "a second of the long answer played");
        var cutItem = outputs.Skip(before).OfType<HeardAudio>().First().ItemId;
        Assert.Equal(1, harness.ReceivedEvents.Count(e => e == "response.done")); // the long answer is still coming
        clock.Advance(TimeSpan.FromMinutes(29.6));
        await harness.WaitForSentAsync("session.update", sent => sent.Count >= 2, "the renewed connection's configuration");

        outputs = await harness.WaitForAsync(o => AfterTheEndOf(cutItem, o).OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal),
            "the continuation, heard whole");
        Assert.DoesNotContain(outputs, o => o is FlushOutput);
        Assert.DoesNotContain(outputs, o => o is StateOutput { State: VoiceSessionState.Reconnecting });
        Assert.True(Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.ItemId == cutItem && t.IsFinal).Interrupted);
        Assert.Single(harness.Sent("response.cancel")); // on the old connection, still open
        Assert.Single(harness.Sent("conversation.item.create"), e => Role(e) == "system" && TextOf(e)!.Contains("cut off", StringComparison.Ordinal));
        Assert.Empty(harness.Sent("conversation.item.truncate"));
        Assert.Empty(outputs.OfType<ErrorOutput>());
        var said = string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.ItemId == cutItem).Select(t => t.Text)).Trim();
        var rest = string.Concat(AfterTheEndOf(cutItem, outputs).OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant).Select(t => t.Text)).Trim();
        Assert.Equal(Normalize(Answer), Normalize(said + " " + rest));
    }

    [Fact]
    public async Task ARenewalThatFails_AfterCuttingAnAnswerShort_TruncatesItWhereItsAudioEnded_AndTheOldConnectionContinuesIt()
    {
        // As above, but the service refuses the renewal's connection: the old one goes on. The service went on making the
        // answer until the cancel took effect (a second and a half here: three seconds of voice that never came), so its
        // conversation holds more of it than the listener hears. Truncated where the audio that came ends, the answer is
        // continued from the last word heard, not from where the service stopped.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        await using var harness = await StartAsync(clock, generationSpeed: 2, clientClock: clock, cancelDelay: TimeSpan.FromSeconds(1.5));

        var before = await LearnThePaceAndAskAsync(harness);
        var outputs = await harness.WaitForAsync(o => o.Skip(before).OfType<HeardAudio>().Count() >= 100, "a second of the long answer played");
        var cutItem = outputs.Skip(before).OfType<HeardAudio>().First().ItemId;
        Assert.Equal(1, harness.ReceivedEvents.Count(e => e == "response.done")); // the long answer is still coming
        harness.Server.Options.Faults.RefuseHandshakeStatusCode = 503;
        clock.Advance(TimeSpan.FromMinutes(29.6));

        outputs = await harness.WaitForAsync(o => AfterTheEndOf(cutItem, o).OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal),
            "the continuation, heard whole");
        Assert.Single(outputs.OfType<StateOutput>(), s => s.State == VoiceSessionState.Connected); // the first connection only
        Assert.DoesNotContain(outputs, o => o is FlushOutput);
        Assert.Empty(outputs.OfType<ErrorOutput>().Select(e => e.Message));
        Assert.Single(harness.Sent("response.cancel"));

        // Truncated once, where the audio that came (all of which played) ends, less what the service holds back.
        var truncate = Assert.Single(harness.Sent("conversation.item.truncate"));
        Assert.Equal(cutItem, truncate.GetProperty("item_id").GetString());
        var heardMs = outputs.OfType<HeardAudio>().Last(a => a.ItemId == cutItem).ItemEndMs - TurnTracker.ServiceShortfallMs;
        Assert.InRange(truncate.GetProperty("audio_end_ms").GetInt32(), heardMs - 20, heardMs + 1);

        // The old connection already holds the words (the answer's own item): none are given again, and it is asked to go on.
        Assert.DoesNotContain(harness.Sent("conversation.item.create"), e => Role(e) == "assistant");
        Assert.Single(harness.Sent("conversation.item.create"), e => Role(e) == "system" && TextOf(e)!.Contains("cut off", StringComparison.Ordinal));
        var said = Words(string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.ItemId == cutItem).Select(t => t.Text)));
        var rest = Words(string.Concat(AfterTheEndOf(cutItem, outputs).OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant).Select(t => t.Text)));
        var whole = Words(Answer);
        Assert.Equal(whole[^rest.Length..], rest); // the end of the answer
        // The words the transcript says were heard are the pace's estimate, the service's where its audio ends: they meet
        // within a word or two. Without the truncate, three seconds of words (seven or more) would be missing between them.
        Assert.InRange(said.Length + rest.Length, whole.Length - 2, whole.Length + 2);
    }

    private static Task<SessionHarness> StartAsync(FakeTimeProvider serverTime, double generationSpeed = 4, FakeTimeProvider? clientClock = null, TimeSpan? cancelDelay = null, TurnMode turnMode = TurnMode.ServerVad) => SessionHarness.StartAsync(o =>
    {
        o.PaceOutput = true;
        o.TurnMode = turnMode;
        o.MaxHistory = 20;
        if (clientClock is not null)
        {
            o.TimeProvider = clientClock;
        }
    }, s =>
    {
        s.SessionLifetime = TimeSpan.FromMinutes(30);
        s.TimeProvider = serverTime;
        s.SpeedFactor = 1;
        s.GenerationSpeed = generationSpeed; // 4: as the service, which sends an answer four times faster than it is played
        s.SplitAnswersLongerThanMs = 0; // one item
        s.CancelDelay = cancelDelay ?? s.CancelDelay;
    });

    /// <summary>
    /// The pace learned and the long question asked (<see cref="LearnThePaceAndAskAsync"/>); once a second of its answer
    /// was played, and with the answer still coming, the service ends its session. Returns the answer's item.
    /// </summary>
    private static async Task<string> EndTheConnectionInTheMiddleOfAnAnswerAsync(SessionHarness harness, FakeTimeProvider serverTime)
    {
        var before = await LearnThePaceAndAskAsync(harness);
        var outputs = await harness.WaitForAsync(o => o.Skip(before).OfType<HeardAudio>().Count() >= 100, "a second of the long answer played");
        var item = outputs.Skip(before).OfType<HeardAudio>().First().ItemId;
        Assert.Equal(1, harness.ReceivedEvents.Count(e => e == "response.done")); // the long answer is still coming
        serverTime.Advance(TimeSpan.FromMinutes(31));
        await harness.WaitForAsync(o => o.Any(s => s is StateOutput { State: VoiceSessionState.Reconnecting }), "the connection's end");
        return item;
    }

    /// <summary>
    /// A short exchange heard whole (the session learns the pace of the voice from it), then the long question. Returns
    /// the count of outputs before the question.
    /// </summary>
    private static async Task<int> LearnThePaceAndAskAsync(SessionHarness harness)
    {
        await harness.Session.SendTextAsync("Hello there, how are you today?", Ct);
        await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the first answer, heard whole");
        var before = harness.Outputs.Count;
        await harness.Session.SendTextAsync(Question, Ct);
        return before;
    }

    /// <summary>The outputs after <paramref name="item"/>'s final transcript (none before it).</summary>
    private static IEnumerable<VoiceSessionEvent> AfterTheEndOf(string item, IReadOnlyList<VoiceSessionEvent> outputs)
    {
        var end = outputs.ToList().FindIndex(o => o is TranscriptOutput { IsFinal: true } t && t.ItemId == item);
        return end < 0 ? [] : outputs.Skip(end + 1);
    }

    private static string[] Words(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static string Normalize(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
