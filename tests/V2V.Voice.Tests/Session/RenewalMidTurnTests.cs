using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using V2V.Simulator;
using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// A renewal forced in the middle of the user's spoken question, against the local realtime server: the new
/// connection is sent the turn's audio again, hears the whole question and answers it once; a turn already answered
/// is not sent again. Both sides run on one fake clock (the server unpaced), so the renewal lands where the test puts it.
/// </summary>
public sealed partial class RenewalMidTurnTests
{
    private const string Question = "What is the weather in Paris today?";
    private const int Rate = 24000;
    private const int LeadingSilenceMs = 300;
    private const int AfterRenewalMs = 200;

    // The service's sessions last 30 minutes: renewal at a quiet moment from 24, forced at 29.
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan PastForcedRenewal = TimeSpan.FromMinutes(29.5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RenewalForcedMidQuestion_TheNewConnectionHearsTheWholeQuestion_AndAnswersItOnce()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        await using var harness = await StartAsync(clock, TurnMode.ServerVad);
        // Half the question: the service hears the speech begin, and the user is still speaking.
        var question = await SendTheFirstHalfAsync(harness);
        await ForceRenewalAsync(harness, clock);

        await question.SendTheRestAsync(harness);
        var outputs = await WaitForTheAnswerAndItsTranscriptionAsync(harness);

        // The new connection heard the whole question (the echo agent gives its length), not the half after the switch.
        AssertTheWholeQuestionWasHeard(outputs);
        var answer = Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.Assistant && t.IsFinal);
        Assert.False(answer.Interrupted);
        Assert.Empty(outputs.OfType<ErrorOutput>());
        Assert.DoesNotContain(outputs, o => o is StateOutput { State: VoiceSessionState.Reconnecting });
        Assert.True(harness.Sent("session.update").Count >= 2);
    }

    [Fact]
    public async Task RenewalForcedMidManualTurn_TheUncommittedAudioGoesToTheNewConnection_AndTheCommitTakesAllOfIt()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        await using var harness = await StartAsync(clock, TurnMode.Manual);
        var speech = Speech.Pcm16(Question, Rate, 1, LeadingSilenceMs, trailingSilenceMs: 300);
        var splitAt = Bytes(LeadingSilenceMs + (Speech.Say(Question).Duration.TotalMilliseconds / 2));

        await harness.SendAsync(speech[..splitAt], Rate, 1);
        await harness.WaitForSentAsync("input_audio_buffer.append", sent => SentMs(sent) >= MsOf(splitAt) - 50, "the first half of the turn");
        await ForceRenewalAsync(harness, clock);
        await harness.SendAsync(speech[splitAt..], Rate, 1);
        Assert.True(await harness.Session.EndTurnAsync(Ct));
        var outputs = await harness.WaitForAsync(
            o => SessionHarness.HasFinalAssistantTranscript(o) && o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.User),
            "the answer to the committed turn");

        // The commit took the whole turn: what went to the old connection and was sent again, and the rest.
        var heardMs = SpeechMs(Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.User).Text);
        Assert.InRange(heardMs, MsOf(speech.Length) - 60, MsOf(speech.Length) + 60);
        Assert.Empty(outputs.OfType<ErrorOutput>());
    }

    [Fact]
    public async Task RenewalForcedAfterTheAnswerBegan_SendsNoTurnAgain()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        await using var harness = await StartAsync(clock, TurnMode.ServerVad);

        var speech = Speech.Pcm16(Question, Rate, 1);
        await harness.SendAsync(speech, Rate, 1);
        await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer on the first connection");
        // The unpaced server answers once its detector closes the turn, while the question's trailing silence may still
        // be on its way to it (on a busy machine, hundreds of ms of it): count the appends once all of them are in.
        await harness.WaitForSentAsync("input_audio_buffer.append", sent => SentMs(sent) >= MsOf(speech.Length) - 50, "all of the question's audio");
        await ForceRenewalAsync(harness, clock);

        // Audio sent after the renewal goes out behind anything the new connection is sent again: once it is in, a
        // replay would be in too. All that was sent is the question and that audio, once each (the last partial chunk
        // may wait). Counted from what was given, not from what the server had when the renewal began: the question's
        // last chunks may still have been on their way then.
        var given = MsOf(speech.Length) + AfterRenewalMs;
        await harness.SendAsync(new byte[Bytes(AfterRenewalMs)], Rate, 1);
        var sent = await harness.WaitForSentAsync("input_audio_buffer.append", s => SentMs(s) >= given - 20, "the audio sent after the renewal");
        Assert.InRange(SentMs(sent), given - 20, given);
        Assert.Single(harness.Outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.Assistant && t.IsFinal);
        Assert.Empty(harness.Outputs.OfType<ErrorOutput>());
    }

    [Fact]
    public async Task RenewalForcedAfterTheQuestionEnded_BeforeItsAnswerBegan_TheHostIsToldTheTurnOnce_AndGetsOneAnswer()
    {
        // The old connection heard the question end and has not begun its answer (its first answer waits on the test's
        // clock, longer than the test moves it) when the renewal is forced: the new connection, which answers at once, is
        // sent the question, hears it again and answers it.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        await using var harness = await StartAsync(clock, TurnMode.ServerVad, s =>
        {
            s.Faults.FirstResponseDelay = TimeSpan.FromHours(1);
            s.Faults.FirstResponseDelayConnections = 1;
        });

        var question = await SendTheFirstHalfAsync(harness);
        await question.SendTheRestAsync(harness);
        await harness.WaitForAsync(o => o.OfType<UserSpeechOutput>().Any(s => !s.Started), "the service hearing the question end");
        await ForceRenewalAsync(harness, clock);
        var outputs = await WaitForTheAnswerAndItsTranscriptionAsync(harness);

        // The host was told one turn (one start, one end: a second would be a second question to it), and its answer.
        Assert.Single(outputs.OfType<UserSpeechOutput>(), s => s.Started);
        Assert.Single(outputs.OfType<UserSpeechOutput>(), s => !s.Started);
        var answer = Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.Assistant && t.IsFinal);
        Assert.False(answer.Interrupted);
        AssertTheWholeQuestionWasHeard(outputs);
        Assert.Empty(outputs.OfType<ErrorOutput>());
        // Every turn said to be pending got its words or was said not to: a host holding turns behind it is not left waiting.
        var user = Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.User);
        var pending = outputs.OfType<UserTranscriptPendingOutput>().ToList();
        Assert.All(pending.Where(p => p.Pending), p => Assert.True(p.ItemId == user.ItemId || pending.Any(q => !q.Pending && q.ItemId == p.ItemId), p.ItemId));
    }

    [Fact]
    public async Task RenewalForcedAsTheAnswerBegins_BeforeAWordOfItIsHeard_TheNewConnectionAnswersTheQuestion()
    {
        // The old connection announces its answer and holds back its audio (for an hour); the renewal then cuts an answer
        // nobody heard a word of. It answered nothing, so the question goes to the new connection, which answers at once.
        // The host is told one turn and gets one answer, heard whole.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        await using var harness = await AskWithTheAnswerHeldBackAsync(clock);
        await ForceRenewalAsync(harness, clock);
        var outputs = await WaitForTheAnswerAndItsTranscriptionAsync(harness);

        Assert.Single(outputs.OfType<UserSpeechOutput>(), s => s.Started);
        AssertOneTurnAnsweredAndHeardWhole(outputs);
    }

    [Fact]
    public async Task RenewalForcedAsTheAnswerBegins_ThatCannotConnect_TheOldConnectionIsAskedTheAnswerAgain()
    {
        // As above, but the service refuses the renewal's connection: the old one goes on, holding the question whose
        // answer the renewal cut before a word of it was heard. It is asked for that answer again, once the cancelled
        // one is done (no refusal for an active response), and the user hears it whole.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        await using var harness = await AskWithTheAnswerHeldBackAsync(clock);
        harness.Server.Options.Faults.RefuseHandshakeStatusCode = 503;
        clock.Advance(PastForcedRenewal);
        var outputs = await WaitForTheAnswerAndItsTranscriptionAsync(harness);

        Assert.Single(outputs.OfType<StateOutput>(), s => s.State == VoiceSessionState.Connected);
        AssertOneTurnAnsweredAndHeardWhole(outputs);
    }

    /// <summary>
    /// The whole question asked on a session whose first connection announces its answer and holds back its audio (for
    /// an hour): returns once the answer is announced, all but its audio.
    /// </summary>
    private static async Task<SessionHarness> AskWithTheAnswerHeldBackAsync(FakeTimeProvider clock)
    {
        var harness = await StartAsync(clock, TurnMode.ServerVad, s =>
        {
            s.Faults.FirstAudioDelay = TimeSpan.FromHours(1);
            s.Faults.FirstResponseDelayConnections = 1;
        }, o => o.AudioOut = true);
        try
        {
            var question = await SendTheFirstHalfAsync(harness);
            await question.SendTheRestAsync(harness);
            await harness.WaitForReceivedAsync("response.content_part.added");
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>The question, split where half of it is spoken: the audio goes out faster than it is spoken, so the rest waits for the speech start, as it would in real time.</summary>
    private sealed record HalfSentQuestion(byte[] Speech, int SplitAt)
    {
        public Task SendTheRestAsync(SessionHarness harness) => harness.SendAsync(Speech[SplitAt..], Rate, 1);
    }

    /// <summary>Sends the first half of the question and waits for the service to hear the speech begin.</summary>
    private static async Task<HalfSentQuestion> SendTheFirstHalfAsync(SessionHarness harness)
    {
        var speech = Speech.Pcm16(Question, Rate, 1, LeadingSilenceMs);
        var splitAt = Bytes(LeadingSilenceMs + (Speech.Say(Question).Duration.TotalMilliseconds / 2));
        await harness.SendAsync(speech[..splitAt], Rate, 1);
        await harness.WaitForAsync(o => o.OfType<UserSpeechOutput>().Any(s => s.Started), "the service hearing the question begin");
        return new HalfSentQuestion(speech, splitAt);
    }

    private static Task<IReadOnlyList<VoiceSessionEvent>> WaitForTheAnswerAndItsTranscriptionAsync(SessionHarness harness) => harness.WaitForAsync(
        o => SessionHarness.HasFinalAssistantTranscript(o) && o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.User),
        "the answer to the question on the new connection, and its transcription");

    /// <summary>One turn of the user's told ended, its whole question heard, and one answer to it, heard whole, with no error.</summary>
    private static void AssertOneTurnAnsweredAndHeardWhole(IReadOnlyList<VoiceSessionEvent> outputs)
    {
        Assert.Single(outputs.OfType<UserSpeechOutput>(), s => !s.Started);
        var answer = Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.Assistant && t.IsFinal);
        Assert.False(answer.Interrupted);
        AssertTheWholeQuestionWasHeard(outputs);
        Assert.NotEmpty(outputs.OfType<HeardAudio>());
        Assert.Empty(outputs.OfType<ErrorOutput>());
    }

    /// <summary>The user's transcript is of the whole question (the echo agent gives its length), not of a part of it.</summary>
    private static void AssertTheWholeQuestionWasHeard(IReadOnlyList<VoiceSessionEvent> outputs)
    {
        var spokenMs = Speech.Say(Question).Duration.TotalMilliseconds;
        var heardMs = SpeechMs(Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.User).Text);
        Assert.InRange(heardMs, spokenMs * 0.9, spokenMs + 1000);
    }

    private static Task<SessionHarness> StartAsync(
        FakeTimeProvider clock, TurnMode turnMode, Action<LocalRealtimeServerOptions>? server = null, Action<VoiceSessionOptions>? client = null) => SessionHarness.StartAsync(o =>
    {
        o.AudioOut = false;
        o.InputTranscript = true;
        o.TurnMode = turnMode;
        o.TimeProvider = clock;
        client?.Invoke(o);
    }, s =>
    {
        s.TimeProvider = clock;
        s.SpeedFactor = 0; // no server waits: its clock is the test's, which moves only when the test says
        s.SessionLifetime = Lifetime;
        server?.Invoke(s);
    });

    /// <summary>Moves the shared clock past the forced renewal (short of the session's end) and waits for the new connection.</summary>
    private static async Task ForceRenewalAsync(SessionHarness harness, FakeTimeProvider clock)
    {
        clock.Advance(PastForcedRenewal);
        await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "the renewed connection");
        await harness.WaitForSentAsync("session.update", sent => sent.Count >= 2, "the new connection's configuration");
    }

    private static int Bytes(double ms) => (int)(ms * Rate / 1000) * 2;

    private static double MsOf(int bytes) => bytes / 2 * 1000.0 / Rate;

    private static double SentMs(IReadOnlyList<System.Text.Json.JsonElement> appends) =>
        appends.Sum(a => Convert.FromBase64String(a.GetProperty("audio").GetString()!).Length) / 2 * 1000.0 / Rate;

    private static double SpeechMs(string transcript)
    {
        var match = SpeechLength().Match(transcript);
        Assert.True(match.Success, transcript);
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 1000;
    }

    [GeneratedRegex(@"^\[(\d+\.\d\d) s of speech\]$")]
    private static partial Regex SpeechLength();
}
