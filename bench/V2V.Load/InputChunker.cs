using System.Runtime.InteropServices;
using V2V.Audio;

namespace V2V.Load;

/// <summary>
/// The way in of the bridges that are not ours (the SDK's and the floor): the user's 16 kHz frames resampled to
/// 24 kHz with our resampler (the SDK has none) and gathered into chunks of ours' default size, so every bridge
/// sends the same appends. Allocation-free: each full chunk is handed over in the one buffer, valid during the call.
/// </summary>
internal sealed class InputChunker
{
    /// <summary>Samples at 24 kHz per append: the same as ours by default.</summary>
    public static readonly int ChunkSamples = 24 * new V2V.Voice.VoiceSessionOptions().InputChunkMs;

    private readonly AudioResampler _resampler = new(SpeechSignal.SampleRate, 24000);
    private readonly short[] _resampled = new short[480];
    private readonly short[] _chunk = new short[ChunkSamples];
    private int _fill;

    /// <summary>Takes one frame; <paramref name="onChunk"/> gets each chunk it completes (a static lambda and a state: no allocation).</summary>
    public void Add<TState>(ReadOnlySpan<byte> frame, TState state, Action<TState, short[]> onChunk)
    {
        var count = _resampler.Process(MemoryMarshal.Cast<byte, short>(frame), _resampled);
        var samples = _resampled.AsSpan(0, count);
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, ChunkSamples - _fill);
            samples[..take].CopyTo(_chunk.AsSpan(_fill));
            _fill += take;
            samples = samples[take..];
            if (_fill == ChunkSamples)
            {
                _fill = 0;
                onChunk(state, _chunk);
            }
        }
    }
}
