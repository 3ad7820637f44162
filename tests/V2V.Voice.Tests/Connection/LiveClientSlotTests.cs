using Microsoft.Extensions.DependencyInjection;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Voice.Connection;
using V2V.Voice.Diagnostics;
using V2V.Voice.Input;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Connection;

/// <summary>
/// The input clock the server's <c>audio_end_ms</c> is read against is the audio sent on the live connection: it
/// starts again at 0 on a new connection (counting the audio kept meanwhile), and goes on when the old one resumes.
/// </summary>
public sealed class LiveClientSlotTests
{
    [Fact]
    public async Task SentMs_StartsAgainOnANewConnection_WithTheAudioKeptMeanwhile_AndGoesOnWhenTheOldOneResumes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var slot = new LiveClientSlot(TimeSpan.FromSeconds(5), 24000, new VoiceMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var first = new RecordingConnection();
        var second = new RecordingConnection();

        await slot.SendBufferedThenGoLiveAsync(first, ct);
        slot.CountSent(24000 * 3); // three seconds on the first connection
        Assert.Equal(3000, slot.SentMs);

        slot.Detach();
        Assert.True(slot.TryBuffer(new short[2400])); // 100 ms while switching
        await slot.SendBufferedThenGoLiveAsync(second, ct);
        Assert.Equal(100, slot.SentMs);
        slot.CountSent(2400);
        Assert.Equal(200, slot.SentMs);

        slot.Detach();
        await slot.SendBufferedThenGoLiveAsync(second, ct); // the same connection again: its clock goes on
        Assert.Equal(200, slot.SentMs);
        Assert.Equal(1, second.AppendsSent);
    }

    [Fact]
    public async Task TheAudioKeptMeanwhile_IsMeasured_ForHowMuchOfItWasLouderThanTheQuietLevel()
    {
        // The service detects turns: speech kept while there was no connection is a turn the new connection will answer.
        var ct = TestContext.Current.CancellationToken;
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var slot = new LiveClientSlot(TimeSpan.FromSeconds(5), 24000, new VoiceMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), loudDbfs: -45);
        var quiet = Enumerable.Repeat((short)50, 2400).ToArray(); // about -56 dBFS
        var loud = Enumerable.Repeat((short)3000, 2400).ToArray(); // about -21 dBFS

        Assert.True(slot.TryBuffer(quiet));
        Assert.True(slot.TryBuffer(loud));
        Assert.True(slot.TryBuffer(loud));
        var replayed = await slot.SendBufferedThenGoLiveAsync(new RecordingConnection(), ct);
        Assert.Equal(200, replayed.KeptLoudMs);

        slot.Detach();
        Assert.True(slot.TryBuffer(quiet));
        Assert.Equal(0, (await slot.SendBufferedThenGoLiveAsync(new RecordingConnection(), ct)).KeptLoudMs);
    }

    [Fact]
    public async Task ANewConnectionLostBeforeItWentLive_GivesEverythingBack_AndTheOldOneGoesOnAsIfNothingWasTried()
    {
        var ct = TestContext.Current.CancellationToken;
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var slot = new LiveClientSlot(TimeSpan.FromSeconds(5), 24000, new VoiceMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var old = new RecordingConnection();
        await slot.SendBufferedThenGoLiveAsync(old, ct);
        slot.CountSent(24000); // a second on the old connection

        // A renewal: three chunks kept while switching; the new connection is lost after taking the first.
        slot.Detach();
        short[][] kept = [[1, 1], [2, 2], [3, 3]];
        foreach (var chunk in kept)
        {
            Assert.True(slot.TryBuffer(chunk));
        }
        var failing = new RecordingConnection { LostAfterAppends = 1 };
        await Assert.ThrowsAsync<RealtimeConnectionLostException>(() => slot.SendBufferedThenGoLiveAsync(failing, ct));
        Assert.Null(slot.Client);

        // The old connection resumed: every kept chunk, in order; its clock goes on from where it was.
        await slot.SendBufferedThenGoLiveAsync(old, ct);
        Assert.Same(old, slot.Client);
        Assert.Equal([1, 1, 2, 2, 3, 3], old.Samples());
        Assert.Equal((24000 + 6) * 1000.0 / 24000, slot.SentMs, 6);
    }

    [Fact]
    public async Task ARenewalWhoseConnectionFailsWhileSendingTheOpenTurn_LeavesTheOldConnectionItsTurn_ForTheNextNewConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var openTurn = new OpenTurnAudio(24000, serverDetectsTurns: true, prefixPaddingMs: 0);
        var slot = new LiveClientSlot(TimeSpan.FromSeconds(5), 24000, new VoiceMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), openTurn);
        var old = new RecordingConnection();
        await slot.SendBufferedThenGoLiveAsync(old, ct);

        // On the old connection: a second of quiet, then the user's question (samples of 7), heard begin and committed.
        slot.CountSent(new short[24000]);
        openTurn.SpeechStarted(1000);
        var question = Enumerable.Repeat((short)7, 12000).ToArray();
        slot.CountSent(question);
        openTurn.ServiceCommitted();

        // A renewal: its connection is lost at the first piece of the question sent again.
        slot.Detach();
        await Assert.ThrowsAsync<RealtimeConnectionLostException>(() => slot.SendBufferedThenGoLiveAsync(new RecordingConnection { LostAfterAppends = 0 }, ct));
        Assert.True(openTurn.TurnOpen, "the failed connection closed the old one's turn");

        // The old one goes on (more of the user's audio, samples of 8); then a reconnect's new connection hears the whole turn.
        await slot.SendBufferedThenGoLiveAsync(old, ct);
        var more = Enumerable.Repeat((short)8, 2400).ToArray();
        slot.CountSent(more);
        slot.Detach();
        var next = new RecordingConnection();
        var replayed = await slot.SendBufferedThenGoLiveAsync(next, ct);
        Assert.Equal(600, replayed.ReplayedMs);
        Assert.Equal([.. question, .. more], next.Samples());
    }
}
