using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using V2V.Frames;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Ten.Messages;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;

namespace V2V.Benchmarks.Voice;

/// <summary>
/// The output path of one session, delta in, frames out: a 150 ms delta of 24 kHz pcm16 parsed (base64 decoded into
/// a pooled frame), cut into 10 ms frames at the output rate, queued for playout, released by the pacer's clock, read
/// from the session's outputs and disposed by the reader (<see cref="DeltaToFrames"/>); the same and then handed on
/// as the TEN <c>pcm_frame</c> that the extension sends into the graph (<see cref="DeltaToTenFrames"/>).
/// One invocation is one delta, 15 frames: the figures are per frame.
/// The version of 37b8dac (before the pooled frame) is in docs/perf/output-path.md with both runs' figures.
/// </summary>
[MemoryDiagnoser]
public class OutputPathBenchmarks
{
    private const int FramesPerDelta = 15;
    private readonly RealtimeEventParser _parser = new(RealtimeDialect.GA);
    private readonly List<PcmFrame> _frames = [];
    private Channel<VoiceSessionOutput> _outputs = null!;
    private OutputFrameCutter _cutter = null!;
    private PlayoutQueue _playout = null!;
    // The session's outputs as the transport takes them (what it took counts as played).
    private TransportHandoff _handoff = null!;
    private byte[] _message = [];
    // The pacer's clock, moved an hour per delta so that every frame queued is due.
    private long _now = Stopwatch.GetTimestamp();

    /// <summary>The session's output rate: 24 kHz (no resampling) or 48 kHz (the playground's).</summary>
    [Params(24000, 48000)]
    public int OutputRate { get; set; } = 24000;

    [GlobalSetup]
    public void Setup()
    {
        var audio = new byte[FramesPerDelta * 480];
        new Random(2).NextBytes(audio);
        _message = Encoding.UTF8.GetBytes(
            $$"""{"type":"response.output_audio.delta","event_id":"event_4950","response_id":"resp_001","item_id":"msg_008","output_index":0,"content_index":0,"delta":"{{Convert.ToBase64String(audio)}}"}""");
        _outputs = Channel.CreateBounded<VoiceSessionOutput>(new BoundedChannelOptions(1024) { SingleReader = true });
        _cutter = new OutputFrameCutter(OutputRate, TimeSpan.FromMilliseconds(10));
        var metrics = VoiceMetrics.For(new V2V.Voice.VoiceSessionOptions());
        _handoff = new TransportHandoff(_outputs.Reader, metrics);
        _playout = new PlayoutQueue(_outputs.Writer, _handoff, metrics, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(120));
    }

    [Benchmark(OperationsPerInvoke = FramesPerDelta, Description = "delta in -> frames out (per frame)")]
    public int DeltaToFrames()
    {
        Cut();
        var read = 0;
        while (_handoff.TryRead(out var output))
        {
            using var audio = output.Audio;
            read += audio.Length;
        }
        return read;
    }

    [Benchmark(OperationsPerInvoke = FramesPerDelta, Description = "delta in -> TEN pcm_frames out (per frame)")]
    public int DeltaToTenFrames()
    {
        Cut();
        var read = 0;
        while (_handoff.TryRead(out var output))
        {
            // What OutputBridge does with each frame, and what the graph's receiver does at the end.
            var audio = output.Audio;
            audio.SetStream(new AudioStreamId(0));
            using var frame = new AudioFrame("pcm_frame", audio);
            read += frame.Buffer.Length;
        }
        return read;
    }

    private void Cut()
    {
        using var delta = (ResponseOutputAudioDeltaEvent)_parser.Parse(_message);
        _frames.Clear();
        _cutter.Add(delta.ItemId, delta.Audio.Span, _frames);
        _playout.Enqueue(_frames);
        _now += Stopwatch.Frequency * 3600;
        _playout.Release(_now);
    }
}
