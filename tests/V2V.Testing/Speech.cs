using System.Collections.Concurrent;
using System.Diagnostics;
using V2V.Audio;

namespace V2V.Testing;

/// <summary>
/// Real speech for tests: synthesized with espeak-ng (test.sh installs it), then brought to any rate and
/// channel count by the product's own resampler (verified by its own tests), with silence around it.
/// </summary>
public static class Speech
{
    private static readonly ConcurrentDictionary<string, WavAudio> Synthesized = new();

    /// <summary>A spoken sentence, mono at espeak's own rate.</summary>
    public static WavAudio Say(string text) => Synthesized.GetOrAdd(text, Synthesize);

    /// <summary>
    /// The sentence as pcm16 little-endian bytes at <paramref name="rate"/> with <paramref name="channels"/>
    /// channels (the same signal in each), after <paramref name="leadingSilenceMs"/> and before <paramref name="trailingSilenceMs"/> of silence.
    /// </summary>
    public static byte[] Pcm16(string text, int rate, int channels, int leadingSilenceMs = 300, int trailingSilenceMs = 1500)
    {
        var speech = Say(text);
        var resampler = new AudioResampler(speech.SampleRate, rate);
        var mono = new short[resampler.GetMaxOutputCount(speech.Samples.Length)];
        var count = resampler.Process(speech.ToMono(), mono);
        var lead = rate * leadingSilenceMs / 1000;
        var trail = rate * trailingSilenceMs / 1000;
        var total = lead + count + trail;
        var interleaved = new short[total * channels];
        for (var i = 0; i < count; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                interleaved[(lead + i) * channels + c] = mono[i];
            }
        }
        return V2V.Audio.Pcm16.AsBytes(interleaved).ToArray();
    }

    /// <summary>Writes the sentence as a WAV file at a rate and channel count (for tests of file-driven tools).</summary>
    public static string WriteWav(string path, string text, int rate, int channels, int leadingSilenceMs = 300, int trailingSilenceMs = 1500)
    {
        var pcm = Pcm16(text, rate, channels, leadingSilenceMs, trailingSilenceMs);
        using var writer = WavWriter.Create(path, rate, channels);
        writer.Write(V2V.Audio.Pcm16.AsSamples(pcm));
        return path;
    }

    /// <summary>Cuts pcm16 bytes into frames of <paramref name="frameMs"/>.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Frames(byte[] pcm16, int rate, int channels, int frameMs)
    {
        var frameBytes = rate * frameMs / 1000 * 2 * channels;
        for (var at = 0; at < pcm16.Length; at += frameBytes)
        {
            yield return pcm16.AsMemory(at, Math.Min(frameBytes, pcm16.Length - at));
        }
    }

    private static WavAudio Synthesize(string text)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"v2v-speech-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var wav = Path.Combine(dir, "speech.wav");
        try
        {
            var start = new ProcessStartInfo("espeak-ng") { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add("-w");
            start.ArgumentList.Add(wav);
            start.ArgumentList.Add(text);
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("espeak-ng is needed to make test speech: apt-get install -y --no-install-recommends espeak-ng (test.sh does this).", e);
            }
            using (process)
            {
                process.WaitForExit(30_000);
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"espeak-ng failed: {process.StandardError.ReadToEnd()}");
                }
            }
            return WavReader.ReadFile(wav);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
