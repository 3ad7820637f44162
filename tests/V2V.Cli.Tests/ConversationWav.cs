using V2V.Audio;
using V2V.Testing;

namespace V2V.Cli.Tests;

/// <summary>
/// A spoken conversation of the user's side: questions one after another with silence between them, as one mono WAV,
/// and where each question's speech lies on the input's timeline.
/// </summary>
internal sealed record ConversationWav(string Path, TimeSpan Length, IReadOnlyList<(TimeSpan Start, TimeSpan End)> Questions)
{
    /// <summary>Each question is spoken after the silence before it; 1.5 s of silence end the file.</summary>
    public static ConversationWav Write(string path, int rate, params (TimeSpan SilenceBefore, string Text)[] questions)
    {
        var samples = new List<short>();
        var spans = new List<(TimeSpan, TimeSpan)>();
        foreach (var (silence, text) in questions)
        {
            samples.AddRange(new short[(int)(silence.TotalSeconds * rate)]);
            var speech = Pcm16.AsSamples(Speech.Pcm16(text, rate, 1, leadingSilenceMs: 0, trailingSilenceMs: 0)).ToArray();
            var (first, last) = (Array.FindIndex(speech, Loud), Array.FindLastIndex(speech, Loud));
            spans.Add((At(samples.Count + first, rate), At(samples.Count + last, rate)));
            samples.AddRange(speech);
        }
        samples.AddRange(new short[rate * 3 / 2]);
        using (var writer = WavWriter.Create(path, rate))
        {
            writer.Write(samples.ToArray());
        }
        return new ConversationWav(path, At(samples.Count, rate), spans);
    }

    private static bool Loud(short sample) => Math.Abs((int)sample) > 1000;

    private static TimeSpan At(int sample, int rate) => TimeSpan.FromSeconds((double)sample / rate);
}

/// <summary>Where a WAV is loud, in 10 ms blocks: the answer's voice against the silence around it.</summary>
internal static class LoudBlocks
{
    public static readonly TimeSpan Block = TimeSpan.FromMilliseconds(10);

    /// <summary>The start of every 10 ms block whose RMS is above about -40 dBFS.</summary>
    public static IReadOnlyList<TimeSpan> Of(WavAudio wav)
    {
        var mono = wav.ToMono();
        var size = wav.SampleRate / 100;
        var loud = new List<TimeSpan>();
        for (var at = 0; at + size <= mono.Length; at += size)
        {
            double sum = 0;
            for (var i = at; i < at + size; i++)
            {
                sum += (double)mono[i] * mono[i];
            }
            if (Math.Sqrt(sum / size) > 300)
            {
                loud.Add(TimeSpan.FromSeconds((double)at / wav.SampleRate));
            }
        }
        return loud;
    }
}
