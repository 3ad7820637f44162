using BenchmarkDotNet.Attributes;
using V2V.Audio;
using V2V.Voice.Input;

namespace V2V.Benchmarks.Voice;

/// <summary>
/// The input path without the socket, per 10 ms frame of 16 kHz speech: what the load harness's bare floor does
/// (<see cref="Floor"/>: resample to 24 kHz and gather 20 ms chunks), what the session's input path does
/// (<see cref="InputPath"/>: the same with the quiet check for the server's turn detection and the minimum-phase
/// filter), and that with the open turn kept for a replay (<see cref="InputPathAndOpenTurn"/>). The append and the
/// socket's part are the same for every bridge; what is measured here is what the product adds on the producer's
/// thread. With <see cref="Sessions"/> 100 the frames go to the sessions in turn, as the load harness's ticker sends them.
/// </summary>
[MemoryDiagnoser]
public class InputPathBenchmarks
{
    private const int FrameSamples = 160;
    private const int Frames = 200;
    private byte[][] _frames = [];
    private short[][] _chunk = [];
    private AudioResampler[] _floorResampler = [];
    private short[] _resampled = new short[480];
    private int[] _fill = [];
    private InputAudioPath[] _path = [];
    private OpenTurnAudio[] _openTurn = [];
    private Action<ReadOnlyMemory<short>>[] _keep = [];
    private Action<ReadOnlyMemory<short>> _discard = null!;
    private long _chunks;

    /// <summary>Sessions fed in turn, a frame each: with many, each session's state is cold when its frame comes, as under load.</summary>
    [Params(1, 100)]
    public int Sessions { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _frames = new byte[Frames][];
        for (var f = 0; f < Frames; f++)
        {
            var samples = new short[FrameSamples];
            for (var i = 0; i < FrameSamples; i++)
            {
                var n = (f * FrameSamples) + i;
                samples[i] = (short)((6000 * Math.Sin(2 * Math.PI * 180 * n / 16000.0)) + random.Next(-300, 300));
            }
            _frames[f] = new byte[FrameSamples * 2];
            Buffer.BlockCopy(samples, 0, _frames[f], 0, _frames[f].Length);
        }
        _chunk = new short[Sessions][];
        _fill = new int[Sessions];
        _floorResampler = new AudioResampler[Sessions];
        _path = new InputAudioPath[Sessions];
        _openTurn = new OpenTurnAudio[Sessions];
        _keep = new Action<ReadOnlyMemory<short>>[Sessions];
        for (var s = 0; s < Sessions; s++)
        {
            _chunk[s] = new short[480];
            _floorResampler[s] = new AudioResampler(16000, 24000);
            _path[s] = new InputAudioPath(20, -45, 500, vad: null);
            var openTurn = _openTurn[s] = new OpenTurnAudio(24000, serverDetectsTurns: true, prefixPaddingMs: 300);
            _keep[s] = c => openTurn.Append(c.Span);
        }
        _discard = c => _chunks++;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames, Description = "floor: resample + chunk (per frame)")]
    public int Floor()
    {
        var sent = 0;
        for (var f = 0; f < Frames; f++)
        {
            var s = f % Sessions;
            var chunk = _chunk[s];
            var count = _floorResampler[s].Process(Pcm16.AsSamples(_frames[f]), _resampled);
            var samples = _resampled.AsSpan(0, count);
            while (!samples.IsEmpty)
            {
                var take = Math.Min(samples.Length, chunk.Length - _fill[s]);
                samples[..take].CopyTo(chunk.AsSpan(_fill[s]));
                _fill[s] += take;
                samples = samples[take..];
                if (_fill[s] == chunk.Length)
                {
                    _fill[s] = 0;
                    sent++;
                }
            }
        }
        return sent;
    }

    [Benchmark(OperationsPerInvoke = Frames, Description = "input path (per frame)")]
    public long InputPath()
    {
        for (var f = 0; f < Frames; f++)
        {
            _path[f % Sessions].Push(_frames[f], 16000, 1, _discard);
        }
        return _chunks;
    }

    [Benchmark(OperationsPerInvoke = Frames, Description = "input path + open turn kept (per frame)")]
    public long InputPathAndOpenTurn()
    {
        for (var f = 0; f < Frames; f++)
        {
            var s = f % Sessions;
            _path[s].Push(_frames[f], 16000, 1, _keep[s]);
        }
        return _chunks;
    }
}
