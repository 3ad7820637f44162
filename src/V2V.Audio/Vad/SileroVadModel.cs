using Microsoft.ML.OnnxRuntime;

namespace V2V.Audio;

/// <summary>
/// The Silero VAD v5 network (MIT, snakers4/silero-vad) loaded in ONNX Runtime on the CPU. Load it once per
/// process and share it: running the session is thread-safe, and each <see cref="SileroVoiceActivityDetector"/>
/// keeps its own recurrent state and buffers.
/// </summary>
/// <remarks>
/// The build of V2V.Audio fetches the model with <c>npm pack @ricky0123/vad-web@0.0.31</c> and copies it next
/// to every application that references V2V.Audio, as <c>models/silero_vad_v5.onnx</c>
/// (<see cref="DefaultModelPath"/>).
/// </remarks>
public sealed class SileroVadModel : IDisposable
{
    /// <summary>File name of the model in the output directory's models folder.</summary>
    public const string ModelFileName = "silero_vad_v5.onnx";

    /// <summary>The rate the network works at.</summary>
    public const int SampleRate = 16000;

    /// <summary>New samples per inference: 32 ms at 16 kHz.</summary>
    public const int ChunkSamples = 512;

    /// <summary>Samples of the previous chunk that precede each chunk; without them v5 hears almost nothing.</summary>
    public const int ContextSamples = 64;

    private SileroVadModel(InferenceSession session, string path, long[] sampleRateShape)
    {
        Session = session;
        ModelPath = path;
        SampleRateShape = sampleRateShape;
    }

    /// <summary>Where the build puts the model: <c>models/silero_vad_v5.onnx</c> under the application's base directory.</summary>
    public static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "models", ModelFileName);

    /// <summary>The file the model was loaded from.</summary>
    public string ModelPath { get; }

    internal InferenceSession Session { get; }

    /// <summary>The shape the model wants for its scalar 'sr' input (rank 0 or [1], depending on the export).</summary>
    internal long[] SampleRateShape { get; }

    /// <summary>Loads the model from <paramref name="path"/>, or from <see cref="DefaultModelPath"/> when null.</summary>
    /// <exception cref="FileNotFoundException">The model file is missing; the message says how to get it.</exception>
    /// <exception cref="InvalidDataException">The file is not a Silero VAD v5 model.</exception>
    public static SileroVadModel Load(string? path = null)
    {
        path ??= DefaultModelPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Silero VAD model not found at '{path}'. The V2V.Audio package carries it and its build puts it in models/ in " +
                "the output of every app that references the package: rebuild the app (a copy of the output must take models/ " +
                "along). Built from source, V2V.Audio downloads it with npm (npm pack @ricky0123/vad-web@0.0.31, file " +
                "package/dist/silero_vad_v5.onnx) into src/V2V.Audio/obj/silero-vad/: install npm (Debian: apt-get install npm) " +
                "and rebuild. Or pass the path of silero_vad_v5.onnx to SileroVadModel.Load; without it, use " +
                "EnergyVoiceActivityDetector.", path);
        }

        // One thread per inference: a 32 ms chunk takes well under a millisecond, and sessions serve many streams.
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var session = new InferenceSession(path, options);
        try
        {
            foreach (string name in new[] { "input", "state", "sr" })
            {
                if (!session.InputMetadata.ContainsKey(name))
                {
                    throw new InvalidDataException($"'{path}' is not a Silero VAD v5 model: it has no '{name}' input (inputs: {string.Join(", ", session.InputMetadata.Keys)}).");
                }
            }

            foreach (string name in new[] { "output", "stateN" })
            {
                if (!session.OutputMetadata.ContainsKey(name))
                {
                    throw new InvalidDataException($"'{path}' is not a Silero VAD v5 model: it has no '{name}' output.");
                }
            }

            long[] srShape = Array.ConvertAll(session.InputMetadata["sr"].Dimensions, d => (long)Math.Max(d, 1));
            return new SileroVadModel(session, path, srShape);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>A new detector for one stream of mono pcm16 at <paramref name="sampleRate"/>.</summary>
    public SileroVoiceActivityDetector CreateDetector(int sampleRate, VoiceActivityOptions? options = null)
        => new(this, sampleRate, options);

    /// <summary>Releases the ONNX Runtime session; detectors created from it stop working.</summary>
    public void Dispose() => Session.Dispose();
}
