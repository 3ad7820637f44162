using Microsoft.Extensions.DependencyInjection;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Connection;
using V2V.Voice.Diagnostics;
using V2V.Voice.Input;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Connection;

/// <summary>
/// The slot sends a new connection the user's turn the old one held unanswered, before the audio kept during the
/// switch; the old connection's events after the switch began change nothing; an answered turn is not sent again.
/// </summary>
public sealed class OpenTurnReplayTests : IDisposable
{
    private const short TurnSample = 1000;
    private const short SwitchSample = 2000;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task NewConnection_GetsTheOpenTurn_ThenTheAudioOfTheSwitch_EvenIfTheOldOneAnswersMeanwhile()
    {
        var ct = TestContext.Current.CancellationToken;
        var slot = NewSlot();
        var old = new RecordingConnection();
        var renewed = new RecordingConnection();
        await slot.SendBufferedThenGoLiveAsync(old, ct);
        slot.CountSent(Samples(1000, TurnSample)); // a second of speech, heard from 500 ms (with the padding)
        slot.Note(old, SpeechStarted(500));

        slot.Detach(); // the renewal begins: the producer buffers
        Assert.True(slot.TryBuffer(Samples(100, SwitchSample)));
        slot.Note(old, ResponseCreated()); // the old connection answers, but its events are stale now: never heard
        var replayed = await slot.SendBufferedThenGoLiveAsync(renewed, ct);

        Assert.Equal(800, replayed.ReplayedMs); // from 200 ms: the padding once more
        Assert.Equal(0, replayed.MissingMs);
        var sent = renewed.Samples();
        Assert.Equal(Rate(900), sent.Count);
        Assert.All(sent.Take(Rate(800)), s => Assert.Equal(TurnSample, s));
        Assert.All(sent.Skip(Rate(800)), s => Assert.Equal(SwitchSample, s));
        Assert.Equal(900, slot.SentMs); // the new connection's clock counts the replay
    }

    [Fact]
    public async Task AnsweredTurn_IsNotSentAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        var slot = NewSlot();
        var old = new RecordingConnection();
        var renewed = new RecordingConnection();
        await slot.SendBufferedThenGoLiveAsync(old, ct);
        slot.CountSent(Samples(1000, TurnSample));
        slot.Note(old, SpeechStarted(500));
        slot.Note(old, Committed());
        slot.Note(old, ResponseCreated());
        slot.Answered("resp_1");
        slot.Heard("resp_1"); // the session took the answer of the old connection, and it is heard there

        slot.Detach();
        var replayed = await slot.SendBufferedThenGoLiveAsync(renewed, ct);

        Assert.Empty(replayed.Audio);
        Assert.Empty(renewed.Samples());
    }

    [Fact]
    public async Task AnswerReadBeforeTheSwitch_ButNotTakenBySession_TheTurnIsSentAgain()
    {
        // On a busy machine the session is behind its connection's reader: the answer was read, and was still queued
        // when the renewal ran (control work goes first) and dropped it as stale. Nobody will hear it: the new
        // connection must answer the question, so it is sent it.
        var ct = TestContext.Current.CancellationToken;
        var slot = NewSlot();
        var old = new RecordingConnection();
        var renewed = new RecordingConnection();
        await slot.SendBufferedThenGoLiveAsync(old, ct);
        slot.CountSent(Samples(1000, TurnSample));
        slot.Note(old, SpeechStarted(500));
        slot.Note(old, Committed());
        slot.Note(old, ResponseCreated());

        slot.Detach();
        var replayed = await slot.SendBufferedThenGoLiveAsync(renewed, ct);

        Assert.Equal(800, replayed.ReplayedMs);
        Assert.All(renewed.Samples(), s => Assert.Equal(TurnSample, s));
    }

    [Fact]
    public async Task OldConnectionResumed_AfterAFailedRenewal_IsNotSentItsOwnTurnAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        var (slot, old) = await SpeakingAsync(ct);

        slot.Detach();
        var replayed = await slot.SendBufferedThenGoLiveAsync(old, ct);

        Assert.Empty(replayed.Audio);
        Assert.Empty(old.Samples());
    }

    [Fact]
    public async Task AnUnheardAnswerAskedAgain_IsTheTurnsAnswer_OnceHeardTheTurnIsNotSentAgain()
    {
        // A failed renewal cut the answer before a word was heard, and the old connection is asked for it again: the
        // answer that comes answers the same turn (no new commit), so hearing it closes the turn.
        var ct = TestContext.Current.CancellationToken;
        var (slot, old) = await SpeakingAsync(ct);
        slot.Note(old, Committed());
        slot.Note(old, ResponseCreated("resp_1"));
        slot.Answered("resp_1"); // taken, then cut before a word was heard: the turn stays open

        slot.AskedAgain();
        slot.Note(old, ResponseCreated("resp_2"));
        slot.Answered("resp_2");
        slot.Heard("resp_2");

        slot.Detach();
        var reconnected = new RecordingConnection();
        var replayed = await slot.SendBufferedThenGoLiveAsync(reconnected, ct);
        Assert.Empty(replayed.Audio);
        Assert.Empty(reconnected.Samples());
    }

    /// <summary>A slot live on a connection that was sent a second of the user's speech, heard begin at 500 ms.</summary>
    private async Task<(LiveClientSlot Slot, RecordingConnection Old)> SpeakingAsync(CancellationToken ct)
    {
        var slot = NewSlot();
        var old = new RecordingConnection();
        await slot.SendBufferedThenGoLiveAsync(old, ct);
        slot.CountSent(Samples(1000, TurnSample));
        slot.Note(old, SpeechStarted(500));
        return (slot, old);
    }

    private static int Rate(int ms) => InputAudioPath.ModelRate * ms / 1000;

    private static short[] Samples(int ms, short value) => Enumerable.Repeat(value, Rate(ms)).ToArray();

    private static InputAudioBufferSpeechStartedEvent SpeechStarted(int audioStartMs) => new() { AudioStartMs = audioStartMs, ItemId = "item_1" };

    private static InputAudioBufferCommittedEvent Committed() => new() { ItemId = "item_1" };

    private static ResponseCreatedEvent ResponseCreated(string id = "resp_1") => new() { Response = new RealtimeResponse { Id = id } };

    private LiveClientSlot NewSlot() => new(
        TimeSpan.FromSeconds(5),
        InputAudioPath.ModelRate,
        new VoiceMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
        new OpenTurnAudio(InputAudioPath.ModelRate, serverDetectsTurns: true, prefixPaddingMs: 300));
}
