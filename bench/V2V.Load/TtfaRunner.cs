using System.Diagnostics;
using System.Text.Json.Nodes;
using V2V.Extension;
using V2V.Graph;
using V2V.Graph.Hosting;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Load;

/// <summary>
/// Time to first audio through the whole product: a TEN graph (a real-time source extension -> openai_v2v ->
/// a sink extension) talking to the simulator in its own process. Each turn is 2 s of speech, then silence
/// until the answer has been heard. The server answers once it has seen <see cref="SilenceMs"/> of silence
/// (its VAD's silence_duration_ms) and adds no delay of its own (no FirstResponseDelay): so what the product adds
/// is the time from the moment the source handed over the frame that completed that silence to the first
/// pcm_frame reaching the sink.
/// </summary>
internal static class TtfaRunner
{
    private const int SilenceMs = 500;
    private const int SpeechFrames = 200;
    private const int SilenceFrames = 350;

    /// <summary>
    /// The same turns straight into a <see cref="V2V.Voice.VoiceSession"/> (no graph), with a chosen input chunk:
    /// how much of the overhead is the graph, and how much the chunking of the input.
    /// </summary>
    public static async Task RunDirectAsync(int turns, int chunkMs)
    {
        await using var server = await SimulatorProcess.StartAsync(speed: 1).ConfigureAwait(false);
        var speech = SpeechSignal.Make(10);
        var bytes = new byte[speech.Length * 2];
        Buffer.BlockCopy(speech, 0, bytes, 0, bytes.Length);
        var sink = new TimingSink(turns);
        var stats = new LoadStats();
        var session = await OursSession.StartAsync(new Uri(server.RealtimeUri, "/"), new TurnScript(speech, 0), stats,
            o => { o.InputChunkMs = chunkMs; o.VadSilenceDurationMs = SilenceMs; },
            o =>
            {
                if (o.IsAudio)
                {
                    sink.OnFrame();
                }
                else if (o.Event is V2V.Voice.Outputs.UserSpeechOutput { Started: false } stopped)
                {
                    sink.OnSpeechStopped((int)stopped.AudioMs);
                }
            }).ConfigureAwait(false);
        var voice = session.Voice;
        using var probe = new WakeupProbe();
        await SpeakTurnsAsync(bytes, turns, sink, frame => voice.SendAudioAsync(frame, 16000)).ConfigureAwait(false);
        await session.DisposeAsync().ConfigureAwait(false);
        Print(sink, probe, $"VoiceSession alone, input chunks of {chunkMs} ms");
    }

    public static async Task RunAsync(int turns)
    {
        await using var server = await SimulatorProcess.StartAsync(speed: 1).ConfigureAwait(false);
        var speech = SpeechSignal.Make(10);
        var bytes = new byte[speech.Length * 2];
        Buffer.BlockCopy(speech, 0, bytes, 0, bytes.Length);
        var sink = new TimingSink(turns);
        var source = new PacedSource(bytes, turns, sink);
        // The graph's sink sees only audio: the server's speech_stopped (where it closed each turn) comes from the
        // client's probe, which sees every server event of this process.
        V2V.Realtime.Diagnostics.RealtimeProbe.Enable(null, null, (_, serverEvent) =>
        {
            if (serverEvent is V2V.Realtime.Protocol.ServerEvents.InputAudioBufferSpeechStoppedEvent stopped)
            {
                sink.OnSpeechStopped(stopped.AudioEndMs);
            }
        });
        var registry = new AddonRegistry().AddBuiltIns().Add(OpenAIV2VAddon.Create())
            .Add(new ExtensionAddon("ttfa_source", Manifest("ttfa_source", audioOut: true), [], () => source))
            .Add(new ExtensionAddon("ttfa_sink", Manifest("ttfa_sink", audioIn: true), [], () => sink));
        var graph = new JsonObject
        {
            ["nodes"] = new JsonArray
            {
                new JsonObject { ["type"] = "extension", ["name"] = "v2v", ["addon"] = "openai_v2v", ["property"] = new JsonObject { ["base_uri"] = new Uri(server.RealtimeUri, "/").ToString(), ["vad_silence_duration_ms"] = SilenceMs } },
                new JsonObject { ["type"] = "extension", ["name"] = "sink", ["addon"] = "ttfa_sink" },
                new JsonObject { ["type"] = "extension", ["name"] = "source", ["addon"] = "ttfa_source" },
            },
            ["connections"] = new JsonArray
            {
                new JsonObject { ["extension"] = "source", ["audio_frame"] = new JsonArray(Route("pcm_frame", "v2v")) },
                new JsonObject { ["extension"] = "v2v", ["audio_frame"] = new JsonArray(Route("pcm_frame", "sink")) },
            },
        };
        using var probe = new WakeupProbe();
        await using (var running = await new GraphHost(registry).StartAsync(V2V.Graph.Definition.GraphJson.Parse(graph.ToJsonString())).ConfigureAwait(false))
        {
            await source.Done.ConfigureAwait(false);
            await running.StopAsync().ConfigureAwait(false);
        }
        V2V.Realtime.Diagnostics.RealtimeProbe.Enable(null, null);

        Print(sink, probe, $"through the graph (source -> openai_v2v -> sink), input chunks of {new V2V.Voice.VoiceSessionOptions().InputChunkMs} ms (the default)");
    }

    private static void Print(TimingSink sink, WakeupProbe probe, string what)
    {
        var overhead = new Histogram();
        var naive = new Histogram();
        var rows = sink.Turns.Where(t => t.FirstAudio != 0).ToList();
        foreach (var t in rows.Skip(1)) // the first turn warms up (JIT, pools)
        {
            overhead.RecordTicks(t.FirstAudio - sink.WindowClosed(t));
            naive.RecordTicks(t.FirstAudio - t.SpeechEnd - Stopwatch.Frequency * SilenceMs / 1000);
        }
        Console.WriteLine();
        Console.WriteLine(what);
        Console.WriteLine($"| turns measured | overhead p50 ms | overhead p99 ms | overhead max ms | end of speech -> first frame, minus {SilenceMs} ms, p50 / p99 ms | turns without audio |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {overhead.Count} | {overhead.PercentileMs(50):F2} | {overhead.PercentileMs(99):F2} | {overhead.MaxMs:F2} | {naive.PercentileMs(50):F2} / {naive.PercentileMs(99):F2} | {sink.Turns.Count - rows.Count} |");
        Console.WriteLine();
        Console.WriteLine("overhead: from the hand-over of the input frame that completed the server's silence window (where its speech_stopped says it closed it) to the first output frame.");
        static string Ms(long ticks) => (ticks * 1000.0 / Stopwatch.Frequency).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine($"each turn from the second, in order (ms): {string.Join(' ', rows.Skip(1).Select(t => Ms(t.FirstAudio - sink.WindowClosed(t))))}");
        // Where the server closed each turn, against the end of the spoken audio + the silence window: a turn its VAD
        // ended a frame early or late stands out (and is measured from the frame that really closed it, above).
        Console.WriteLine($"server's end of each turn minus (end of speech + {SilenceMs} ms), ms: {string.Join(' ', sink.Turns.Select((t, i) => t.ServerEndMs is { } end ? (end - ((i * (SpeechFrames + SilenceFrames) + SpeechFrames) * 10 + SilenceMs)).ToString(System.Globalization.CultureInfo.InvariantCulture) : "?"))}");
        if (rows.Any(t => t.SpeechStoppedSeen != 0))
        {
            Console.WriteLine($"  of which: frame handed over -> speech_stopped read (ms): {string.Join(' ', rows.Skip(1).Select(t => Ms(t.SpeechStoppedSeen - sink.WindowClosed(t))))}");
            Console.WriteLine($"  and: speech_stopped read -> first frame out (ms): {string.Join(' ', rows.Skip(1).Select(t => Ms(t.FirstAudio - t.SpeechStoppedSeen)))}");
        }

        // Each turn over 10 ms next to the machine's own hold-up in the same interval, seen by the probe.
        Console.WriteLine(probe.Summary());
        var slow = rows.Skip(1).Select((t, i) => (Turn: i + 2, t)).Where(x => x.t.FirstAudio - sink.WindowClosed(x.t) > Stopwatch.Frequency / 100).ToList();
        Console.WriteLine(slow.Count == 0
            ? "no turn over 10 ms"
            : $"turns over 10 ms (turn: overhead / the probe's longest late wake-up in the same interval, ms; collections of this process between the end of speech and the answer): {string.Join(", ", slow.Select(x => $"{x.Turn}: {Ms(x.t.FirstAudio - sink.WindowClosed(x.t))} / {probe.LongestGapMs(sink.WindowClosed(x.t), x.t.FirstAudio).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)}{Collections(x.t)}"))}");
    }

    private static (int, int, int, TimeSpan) Collections() =>
        (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    /// <summary>The collections this process made while a turn waited for its answer, and how long they paused it.</summary>
    private static string Collections(Turn t)
    {
        var (end, answer) = (t.CollectionsAtEnd, t.CollectionsAtAnswer);
        var count = answer.Gen0 - end.Gen0;
        if (count == 0)
        {
            return "";
        }
        var deepest = answer.Gen2 > end.Gen2 ? 2 : answer.Gen1 > end.Gen1 ? 1 : 0;
        return $" ({count} collection(s) here, up to gen{deepest}, paused {(answer.Paused - end.Paused).TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)} ms)";
    }

    private static JsonObject Route(string name, string destination) => new()
    {
        ["name"] = name,
        ["dest"] = new JsonArray(new JsonObject { ["extension"] = destination }),
    };

    private static TenManifest Manifest(string name, bool audioIn = false, bool audioOut = false)
    {
        static JsonArray Names(bool on) => on ? new JsonArray(new JsonObject { ["name"] = "pcm_frame" }) : [];
        var manifest = new JsonObject
        {
            ["type"] = "extension",
            ["name"] = name,
            ["version"] = "0.0.1",
            ["api"] = new JsonObject { ["property"] = new JsonObject(), ["audio_frame_in"] = Names(audioIn), ["audio_frame_out"] = Names(audioOut) },
        };
        return TenManifest.Parse(manifest.ToJsonString(), name);
    }

    /// <summary>
    /// The user's side, in real time: 10 ms frames at 16 kHz, each turn <see cref="SpeechFrames"/> of speech then
    /// <see cref="SilenceFrames"/> of silence, noting when the speech ended and when the server's silence window
    /// was complete. Both the graph's source and the direct run speak through this.
    /// </summary>
    private static async Task SpeakTurnsAsync(byte[] speech, int turns, TimingSink sink, Func<ReadOnlyMemory<byte>, ValueTask> send)
    {
        var silence = new byte[320];
        long frameTicks = Stopwatch.Frequency / 100, next = Stopwatch.GetTimestamp();
        int at = 0;
        for (int turn = 0; turn < turns; turn++)
        {
            var record = new Turn();
            for (int f = 0; f < SpeechFrames + SilenceFrames; f++)
            {
                next += frameTicks;
                var wait = (next - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (wait > 0)
                {
                    await Task.Delay((int)wait).ConfigureAwait(false);
                }
                ReadOnlyMemory<byte> frame = f < SpeechFrames ? speech.AsMemory(at++ % (speech.Length / 320) * 320, 320) : silence;
                // Timed as the frame is handed over, before the send: what the product does with it on the way in
                // (inline, on this thread) is part of the overhead.
                var handed = Stopwatch.GetTimestamp();
                sink.HandedOver(turn * (SpeechFrames + SilenceFrames) + f, handed);
                await send(frame).ConfigureAwait(false);
                if (f == SpeechFrames - 1)
                {
                    record.SpeechEnd = handed;
                    sink.Expect(record);
                }
                else if (f == SpeechFrames - 1 + SilenceMs / 10)
                {
                    record.SilenceComplete = handed;
                }
            }
        }
    }

    internal sealed class Turn
    {
        public long SpeechEnd;
        public long SilenceComplete;
        public long FirstAudio;
        public long SpeechStoppedSeen;

        /// <summary>The server's audio_end_ms for this turn: where it closed the turn (speech end + its window).</summary>
        public int? ServerEndMs;

        /// <summary>This process's collections (gen0, gen1, gen2, total pause) so far, when the turn ended and when its answer began.</summary>
        public (int Gen0, int Gen1, int Gen2, TimeSpan Paused) CollectionsAtEnd, CollectionsAtAnswer;
    }

    /// <summary>The user: 10 ms pcm_frame at 16 kHz in real time, turns of speech and silence.</summary>
    private sealed class PacedSource(byte[] speech, int turns, TimingSink sink) : Ten.Extension
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
        {
            _ = Task.Run(() => RunAsync(env));
            return Task.CompletedTask;
        }

        private async Task RunAsync(ITenEnv env)
        {
            try
            {
                await SpeakTurnsAsync(speech, turns, sink, frame => env.SendAudioFrameAsync(new AudioFrame("pcm_frame", frame, 16000, 1))).ConfigureAwait(false);
                _done.TrySetResult();
            }
            catch (Exception ex)
            {
                _done.TrySetException(ex);
            }
        }
    }

    /// <summary>The listener: notes when the first frame of each answer arrives.</summary>
    private sealed class TimingSink(int turns) : Ten.Extension
    {
        private readonly long[] _handOver = new long[turns * (SpeechFrames + SilenceFrames)];
        private Turn? _waiting;

        public List<Turn> Turns { get; } = [];

        /// <summary>Frame <paramref name="index"/> (10 ms each, from the first) was handed over at <paramref name="timestamp"/>.</summary>
        public void HandedOver(int index, long timestamp) => _handOver[index] = timestamp;

        /// <summary>
        /// When the frame that completed the server's silence window was handed over: the frame that holds the
        /// server's audio_end_ms, when the server said it; else the frame <see cref="SilenceMs"/> after the speech.
        /// </summary>
        public long WindowClosed(Turn turn)
        {
            if (turn.ServerEndMs is not { } end)
            {
                return turn.SilenceComplete;
            }
            var index = Math.Clamp((end + 9) / 10 - 1, 0, _handOver.Length - 1);
            return _handOver[index] != 0 ? _handOver[index] : turn.SilenceComplete;
        }

        public void Expect(Turn turn)
        {
            turn.CollectionsAtEnd = Collections();
            lock (Turns)
            {
                Turns.Add(turn);
                _waiting = turn;
            }
        }

        public override ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken)
        {
            OnFrame();
            return ValueTask.CompletedTask;
        }

        /// <summary>The server's speech_stopped reached the client: where it closed the turn, and when we knew.</summary>
        public void OnSpeechStopped(int audioEndMs)
        {
            var now = Stopwatch.GetTimestamp();
            lock (Turns)
            {
                if (_waiting is { } turn && turn.SpeechStoppedSeen == 0)
                {
                    turn.SpeechStoppedSeen = now;
                    turn.ServerEndMs = audioEndMs;
                }
            }
        }

        public void OnFrame()
        {
            var now = Stopwatch.GetTimestamp();
            lock (Turns)
            {
                if (_waiting is { } turn && now > turn.SpeechEnd)
                {
                    turn.FirstAudio = now;
                    turn.CollectionsAtAnswer = Collections();
                    _waiting = null;
                }
            }
        }
    }
}
