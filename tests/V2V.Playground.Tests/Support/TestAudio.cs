using V2V.Audio;
using V2V.Testing;

namespace V2V.Playground.Tests.Support;

/// <summary>The spoken WAVs the fake microphone plays, made once per run with espeak-ng.</summary>
internal static class TestAudio
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("v2v-playground-audio-").FullName;

    /// <summary>A question at 16 kHz mono, then four seconds of silence: one turn, answered.</summary>
    public static string Question() => Cached("question.wav", path =>
        Speech.WriteWav(path, "What is the weather in Paris today?", 16000, 1, leadingSilenceMs: 500, trailingSilenceMs: 4000));

    /// <summary>
    /// At 48 kHz: a long request, a pause long enough for the (echoed, equally long) answer to start playing, then
    /// speech again while it plays, which is a barge-in; then silence so the second answer plays out.
    /// </summary>
    public static string BargeIn() => Cached("barge-in.wav", path =>
    {
        const int rate = 48000;
        var first = Speech.Pcm16("Please tell me a long story about the history of Paris and all of its old bridges over the river.", rate, 1, 500, 1800);
        var second = Speech.Pcm16("Stop, stop. Tell me about London instead.", rate, 1, 0, 6000);
        using var writer = WavWriter.Create(path, rate, 1);
        writer.Write(Pcm16.AsSamples(first));
        writer.Write(Pcm16.AsSamples(second));
        return path;
    });

    private static string Cached(string name, Func<string, string> make)
    {
        var path = Path.Combine(Folder, name);
        lock (Folder)
        {
            return File.Exists(path) ? path : make(path);
        }
    }
}
