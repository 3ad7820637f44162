
namespace V2V.Audio.Tests;

/// <summary>
/// Real speech for VAD tests, synthesized once per run with espeak-ng (test.sh installs it), resampled to
/// 16 kHz, and placed between stretches of low noise so the ground truth is known to the sample.
/// </summary>
internal static class SpokenAudio
{
    public const int SampleRate = 16000;

    private static readonly Lazy<short[]> Utterance = new(() => Synthesize("What is the weather in Paris today"));

    /// <summary>A test signal and where its speech lies.</summary>
    public sealed record Scene(short[] Samples, (int Start, int End)[] Speech)
    {
        /// <summary>True when sample <paramref name="index"/> lies within a spoken utterance.</summary>
        public bool IsSpeech(long index) => Speech.Any(s => index >= s.Start && index < s.End);
    }

    /// <summary>1 s of noise, the sentence, 1.5 s of noise, the sentence again, 1 s of noise (noise at -60 dBFS).</summary>
    public static Scene TwoUtterances()
    {
        short[] speech = Utterance.Value;
        var samples = new List<short>();
        var spans = new List<(int, int)>();
        var random = new Random(7);
        AddNoise(samples, SampleRate, random);
        spans.Add(AddSpeech(samples, speech));
        AddNoise(samples, SampleRate * 3 / 2, random);
        spans.Add(AddSpeech(samples, speech));
        AddNoise(samples, SampleRate, random);
        return new Scene([.. samples], [.. spans]);
    }

    /// <summary>The scene at another rate, by the resampler under test (already verified by its own tests).</summary>
    public static short[] AtRate(short[] samples16k, int rate)
    {
        var resampler = new AudioResampler(SampleRate, rate);
        var output = new short[resampler.GetMaxOutputCount(samples16k.Length)];
        int count = resampler.Process(samples16k, output);
        return output[..count];
    }

    private static (int, int) AddSpeech(List<short> samples, short[] speech)
    {
        // espeak leaves silence around the words: the ground truth is from the first to the last loud sample.
        int first = Array.FindIndex(speech, s => Math.Abs((int)s) > 500);
        int last = Array.FindLastIndex(speech, s => Math.Abs((int)s) > 500);
        int offset = samples.Count;
        samples.AddRange(speech);
        return (offset + first, offset + last + 1);
    }

    private static void AddNoise(List<short> samples, int count, Random random)
    {
        for (int i = 0; i < count; i++)
        {
            samples.Add((short)Math.Round((random.NextDouble() * 2 - 1) * 33 * Math.Sqrt(3)));
        }
    }

    // The sentence from the shared test speech (espeak-ng), brought to 16 kHz mono.
    private static short[] Synthesize(string text)
    {
        WavAudio audio = V2V.Testing.Speech.Say(text);
        short[] mono = audio.ToMono();
        var resampler = new AudioResampler(audio.SampleRate, SampleRate);
        var output = new short[resampler.GetMaxOutputCount(mono.Length)];
        int count = resampler.Process(mono, output);
        return output[..count];
    }
}
