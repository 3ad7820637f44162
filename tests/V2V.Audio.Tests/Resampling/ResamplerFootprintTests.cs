namespace V2V.Audio.Tests;

/// <summary>
/// What one resampler keeps: each session holds one or two for as long as it lives, so at a few hundred sessions
/// its buffers are megabytes. The filter tables are shared; an instance keeps only a block's worth of state.
/// </summary>
public sealed class ResamplerFootprintTests
{
    // A 1,024-sample block: about 23 KB for 16 -> 24 kHz. It was 90 KB with 4,096-sample blocks.
    private const long MostBytesPerInstance = 32 * 1024;

    [Theory]
    [InlineData(16000, 24000, ResamplerPhase.Minimum)]
    [InlineData(48000, 24000, ResamplerPhase.Minimum)]
    [InlineData(24000, 48000, ResamplerPhase.Linear)]
    [InlineData(24000, 16000, ResamplerPhase.Linear)]
    [InlineData(44100, 24000, ResamplerPhase.Linear)]
    public void An_instance_of_a_pair_already_designed_keeps_under_32_KB(int inputRate, int outputRate, ResamplerPhase phase)
    {
        _ = new AudioResampler(inputRate, outputRate, phase); // designs (or finds) the shared tables

        long before = GC.GetAllocatedBytesForCurrentThread();
        var resampler = new AudioResampler(inputRate, outputRate, phase);
        long kept = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(kept < MostBytesPerInstance, $"{inputRate} -> {outputRate} Hz: one instance allocated {kept} bytes");
        GC.KeepAlive(resampler);
    }
}
