using System.Threading.Channels;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Playback;

/// <summary>
/// The pacer plays only the queues with something waiting: a queue joins its tick when audio arrives and leaves it
/// when empty. What must never happen: a queue that got audio again and is not played (the agent falls silent), or a
/// queue that is played by a pacer it was taken from.
/// </summary>
public sealed class AudioPacerTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(10);

    // A guard only: a pacer releases 10 ms frames in real time, so a few hundred ms of audio is out in well under a second.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Played : IDisposable
    {
        private readonly PlayoutRig _rig = new(Frame);

        public PlayoutQueue Queue => _rig.Queue;

        public TransportHandoff Handoff => _rig.Handoff;

        public List<double> EndsMs { get; } = [];

        public List<string> Words { get; } = [];

        /// <summary>Reads until <paramref name="count"/> frames have come (their ends in ms, in order; words aside).</summary>
        public Task ReadAsync(int count) => ReadUntilAsync(() => EndsMs.Count >= count);

        public async Task ReadUntilAsync(Func<bool> done)
        {
            using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            guard.CancelAfter(Patience);
            while (!done())
            {
                await Handoff.WaitToReadAsync(guard.Token);
                Drain();
            }
        }

        /// <summary>What is out so far, without waiting; the number of frames.</summary>
        public int Drain()
        {
            while (Handoff.TryRead(out var output))
            {
                if (output.TryGetAudio(out var frame))
                {
                    EndsMs.Add(frame.ItemEndMs);
                    frame.Dispose();
                }
                else if (output.Event is TranscriptOutput words)
                {
                    Words.Add(words.Text);
                }
            }
            return EndsMs.Count;
        }

        public void Dispose()
        {
            Queue.Clear();
            _rig.Dispose();
        }
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(Patience);
        while (!condition())
        {
            Assert.False(guard.IsCancellationRequested, $"not within {Patience.TotalSeconds:F0} s: {what}");
            await Task.Delay(5, CancellationToken.None);
        }
    }

    [Fact]
    public async Task AQueue_IsPlayedToTheEnd_LeavesTheTick_AndIsPlayedAgainWhenAudioComesBack()
    {
        var pacer = new AudioPacer("test pacer");
        using var played = new Played();
        pacer.Add(played.Queue);

        played.Queue.Enqueue(AgentFrames.Of("item_1", 20));
        await played.ReadAsync(20);
        await UntilAsync(() => pacer.Playing == 0, "the emptied queue leaving the pacer's tick");

        // The next answer, after the queue left the tick: it is scheduled again, not left silent.
        played.Queue.Enqueue(AgentFrames.Of("item_1", 20, startMs: 200));
        await played.ReadAsync(40);

        Assert.Equal(Enumerable.Range(1, 40).Select(i => i * 10.0), played.EndsMs);
    }

    [Fact]
    public async Task ManyQueues_SpreadOverThePacersGroups_AreEachPlayedToTheEnd()
    {
        // More queues than the pacer has groups, and not a multiple of them: each group is visited in its own quarter
        // of the tick, and a queue left out of every group would fall silent.
        var pacer = new AudioPacer("test pacer");
        var queues = Enumerable.Range(0, 9).Select(_ => new Played()).ToList();
        try
        {
            foreach (var played in queues)
            {
                pacer.Add(played.Queue);
                played.Queue.Enqueue(AgentFrames.Of("item_1", 20));
            }

            await Task.WhenAll(queues.Select(q => q.ReadAsync(20)));
            await UntilAsync(() => pacer.Playing == 0, "the emptied queues leaving the pacer's groups");

            Assert.All(queues, q => Assert.Equal(Enumerable.Range(1, 20).Select(i => i * 10.0), q.EndsMs));
        }
        finally
        {
            queues.ForEach(q => q.Dispose());
        }
    }

    [Fact]
    public async Task Words_WaitingBehindTheAudio_KeepTheQueueInTheTick_UntilTheyAreOut()
    {
        var pacer = new AudioPacer("test pacer");
        using var played = new Played();
        pacer.Add(played.Queue);
        var turn = new SpokenTurn("item_1");

        played.Queue.Enqueue(AgentFrames.Of("item_1", 10));
        played.Queue.EnqueueText(new TranscriptOutput(TranscriptRole.Assistant, "All of it.", true, true, false, "item_1"), turn, 10);
        await played.ReadUntilAsync(() => played.Words.Count == 1);

        Assert.Equal(10, played.EndsMs.Count); // the words came after all the audio before them
        Assert.True(turn.FinalHeard);
        await UntilAsync(() => pacer.Playing == 0, "the emptied queue leaving the pacer's tick");
    }

    [Fact]
    public async Task AQueueTakenFromThePacer_IsNotPlayed_AndIsPlayedOnceAddedAgain()
    {
        var pacer = new AudioPacer("test pacer");
        using var played = new Played();
        pacer.Add(played.Queue);
        pacer.Remove(played.Queue);

        // The first frame after silence goes out at once, by the queue itself; the rest wait for a pacer.
        played.Queue.Enqueue(AgentFrames.Of("item_1", 10));
        await Task.Delay(200, Ct); // a pacer that still played the queue would have released them by now
        Assert.Equal(1, played.Drain());

        pacer.Add(played.Queue);
        await played.ReadAsync(10);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10.0), played.EndsMs);
    }

    [Fact]
    public async Task AQueueMovedToAnotherPacerWhilePlaying_IsPlayedByTheNewOne()
    {
        var first = new AudioPacer("test pacer 1");
        var second = new AudioPacer("test pacer 2");
        using var played = new Played();
        first.Add(played.Queue);
        played.Queue.Enqueue(AgentFrames.Of("item_1", 30));

        second.Add(played.Queue);
        await played.ReadAsync(30);

        Assert.Equal(Enumerable.Range(1, 30).Select(i => i * 10.0), played.EndsMs);
        await UntilAsync(() => first.Playing == 0 && second.Playing == 0, "both pacers' ticks empty");
    }
}
