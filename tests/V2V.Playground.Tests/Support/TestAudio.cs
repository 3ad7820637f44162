using V2V.Testing;

namespace V2V.Playground.Tests.Support;

/// <summary>The spoken WAVs the tests speak into the page's microphone, made once per run with espeak-ng.</summary>
internal static class TestAudio
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("v2v-playground-audio-").FullName;

    /// <summary>A question at 16 kHz mono, then four seconds of silence: one turn, answered.</summary>
    public static string Question() => Cached("question.wav", path =>
        Speech.WriteWav(path, "What is the weather in Paris today?", 16000, 1, leadingSilenceMs: 500, trailingSilenceMs: 4000));

    /// <summary>At 48 kHz: a long request, whose answer (an echo, equally long) is long enough to be barged in on.</summary>
    public static string LongRequest() => Cached("long-request.wav", path =>
        Speech.WriteWav(path, "Please tell me a long story about the history of Paris and all of its old bridges over the river.", 48000, 1, leadingSilenceMs: 500, trailingSilenceMs: 1000));

    /// <summary>At 48 kHz: the speech that interrupts the answer while it plays, then silence so the second answer plays out.</summary>
    public static string Interruption() => Cached("interruption.wav", path =>
        Speech.WriteWav(path, "Stop, stop. Tell me about London instead.", 48000, 1, leadingSilenceMs: 0, trailingSilenceMs: 6000));

    private static string Cached(string name, Func<string, string> make)
    {
        var path = Path.Combine(Folder, name);
        lock (Folder)
        {
            return File.Exists(path) ? path : make(path);
        }
    }
}
