using BenchmarkDotNet.Attributes;
using V2V.Audio;

namespace V2V.Benchmarks.Audio;

/// <summary>
/// Cost of resampling one 10 ms pcm16 frame, the unit of the audio path. Goal: under 2 us and 0 bytes
/// allocated per frame for the pairs the session uses on every call.
/// </summary>
[MemoryDiagnoser]
public class ResamplerBenchmarks
{
    private AudioResampler _resampler = null!;
    private short[] _input = [];
    private short[] _output = [];

    /// <summary>
    /// Rate pair as "input->output", with " minimum" for the minimum-phase filter: same taps, so the same cost is
    /// expected; only the input path's two common pairs are run to confirm it.
    /// </summary>
    [Params("48000->24000", "16000->24000", "24000->16000", "24000->48000", "44100->24000", "48000->24000 minimum", "16000->24000 minimum")]
    public string Pair { get; set; } = "48000->24000";

    [GlobalSetup]
    public void Setup()
    {
        const string minimumSuffix = " minimum";
        var phase = Pair.EndsWith(minimumSuffix, StringComparison.Ordinal) ? ResamplerPhase.Minimum : ResamplerPhase.Linear;
        string[] rates = Pair.Replace(minimumSuffix, "", StringComparison.Ordinal).Split("->");
        int inputRate = int.Parse(rates[0], System.Globalization.CultureInfo.InvariantCulture);
        int outputRate = int.Parse(rates[1], System.Globalization.CultureInfo.InvariantCulture);
        _resampler = new AudioResampler(inputRate, outputRate, phase);
        _input = new short[inputRate / 100];
        var random = new Random(1);
        for (int i = 0; i < _input.Length; i++)
        {
            _input[i] = (short)random.Next(-16000, 16000);
        }

        _output = new short[_resampler.GetMaxOutputCount(_input.Length)];
    }

    /// <summary>One 10 ms frame through the resampler.</summary>
    [Benchmark]
    public int Resample10msFrame() => _resampler.Process(_input, _output);
}
