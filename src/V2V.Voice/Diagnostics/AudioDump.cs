using V2V.Audio;

namespace V2V.Voice.Diagnostics;

/// <summary>
/// The dump of one session: what the model heard (24 kHz mono, after resampling) and what it said (24 kHz
/// as received), as two WAV files named by the session's label and start time. The label is checked by
/// <see cref="VoiceSessionOptions.Validate"/> (letters, digits, '-', '_'), so a dump can never be written outside its folder.
/// </summary>
internal sealed class AudioDump : IDisposable
{
    private readonly WavWriter _input;
    private readonly WavWriter _output;

    private AudioDump(string inputPath, string outputPath)
    {
        InputPath = inputPath;
        OutputPath = outputPath;
        _input = WavWriter.Create(inputPath, 24000);
        _output = WavWriter.Create(outputPath, 24000);
    }

    public string InputPath { get; }

    public string OutputPath { get; }

    public static AudioDump Create(string folder, string name, DateTimeOffset start)
    {
        var root = Path.GetFullPath(folder);
        Directory.CreateDirectory(root);
        // The random tail keeps two sessions of one label started in the same second apart.
        var stem = $"{name}_{start.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}_{Guid.NewGuid():N}"[..(name.Length + 26)];
        return new AudioDump(Path.Combine(root, stem + "_in.wav"), Path.Combine(root, stem + "_out.wav"));
    }

    /// <summary>Input audio; called by the one producer of input.</summary>
    public void WriteInput(ReadOnlySpan<short> samples) => _input.Write(samples);

    /// <summary>Output audio; called by the session's actor.</summary>
    public void WriteOutput(ReadOnlySpan<byte> pcm16) => _output.Write(Pcm16.AsSamples(pcm16[..(pcm16.Length & ~1)]));

    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
    }
}
