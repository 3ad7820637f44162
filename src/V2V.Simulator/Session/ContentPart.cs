namespace V2V.Simulator.Session;

/// <summary>What a content part is, independent of how each dialect names it on the wire.</summary>
internal enum ContentKind
{
    InputText,
    InputAudio,
    OutputText,
    OutputAudio,
    InputImage,
}

/// <summary>One part of a message item. Audio is held as 24 kHz pcm16 samples, whatever the wire format.</summary>
internal sealed class ContentPart
{
    private short[]? _audio;

    public required ContentKind Kind { get; init; }

    public string? Text { get; set; }

    public string? Transcript { get; set; }

    /// <summary>An image the user sent (<see cref="ContentKind.InputImage"/>): what it is, not its bytes.</summary>
    public Images.SentImage? Image { get; init; }

    /// <summary>The detail level asked for an image: <c>auto</c>, <c>low</c> or <c>high</c>.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// The samples; only the first <see cref="AudioSamples"/> count. A response's audio part shares the planned
    /// array and grows by moving the count, so streaming copies nothing; truncation just lowers the count.
    /// </summary>
    public short[]? Audio
    {
        get => _audio;
        set
        {
            _audio = value;
            AudioSamples = value?.Length ?? 0;
        }
    }

    public int AudioSamples { get; set; }

    /// <summary>The words the planned audio says, in order (null for audio a client sent): the model knows what its own voice says.</summary>
    public string[]? Words { get; init; }

    /// <summary>
    /// Cut by a truncate: the part's audio ends there for good. A response still generating it (its cancel not yet taken
    /// effect) goes on sending deltas, but the conversation holds no more of it than the listener heard.
    /// </summary>
    public bool Truncated { get; private set; }

    /// <summary>The response streamed this generated part's audio up to <paramref name="samples"/>, with words <paramref name="transcriptDelta"/> (null: none new); a truncated part keeps its cut.</summary>
    public void Streamed(int samples, string? transcriptDelta)
    {
        if (Truncated)
        {
            return;
        }
        AudioSamples = samples;
        Transcript += transcriptDelta;
    }

    /// <summary>The response finished this part: its transcript whole, unless a truncate deleted it.</summary>
    public void Completed(string transcript)
    {
        if (!Truncated)
        {
            Transcript = transcript;
        }
    }

    /// <summary>A truncate cut the audio at <paramref name="samples"/> (never longer): the transcript goes, and the audio held is exactly what is left.</summary>
    public void TruncateAt(int samples)
    {
        AudioSamples = Math.Min(AudioSamples, samples);
        ShortfallMs = 0;
        Transcript = string.Empty;
        Truncated = true;
    }

    /// <summary>
    /// What the part says as the model hears it: the words whose audio starts within the audio it holds. The service
    /// deletes a truncated part's transcript, but the model still hears the audio left, so it knows where its words stopped.
    /// </summary>
    public string? HeardWords => Words is null || Audio is null
        ? Transcript
        : string.Join(' ', Words[..WordsStartedBy(AudioMs, Words.Length, V2V.Simulator.Audio.Pcm.Ms(Audio.Length))]);

    public int AudioMs => V2V.Simulator.Audio.Pcm.Ms(AudioSamples);

    /// <summary>
    /// Whether a 10 ms frame of the part's audio is louder than a quiet room (<see cref="SpeechDbfs"/>): the silence an idle
    /// timeout commits holds none, and a recognizer hears no words in it.
    /// </summary>
    public bool HoldsSound
    {
        get
        {
            if (Audio is null)
            {
                return false;
            }
            for (var at = 0; at < AudioSamples; at += Vad.EnergyVad.FrameSamples)
            {
                var frame = Audio.AsSpan(at, Math.Min(Vad.EnergyVad.FrameSamples, AudioSamples - at));
                if (V2V.Audio.Pcm16Level.Dbfs(frame) >= SpeechDbfs)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>The quietest level taken for sound: server VAD's at the lowest threshold it is usually given (0.2).</summary>
    public static readonly double SpeechDbfs = Vad.EnergyVad.LevelDbfs(0.2);

    /// <summary>
    /// How much shorter than the audio sent the service holds this generated part (see
    /// <see cref="LocalRealtimeServerOptions.ItemAudioShortfallMs"/>); 0 once truncated (the truncate set its end).
    /// </summary>
    public int ShortfallMs { get; set; }

    /// <summary>The part's audio as the service holds it, the length a truncate is checked against.</summary>
    public int HeldMs => Math.Max(0, AudioMs - ShortfallMs);

    /// <summary>Number of words of <paramref name="words"/> whose audio has started by <paramref name="ms"/>.</summary>
    public static int WordsStartedBy(int ms, int words, int plannedMs) =>
        plannedMs <= 0 ? words : (int)Math.Clamp(Math.Ceiling(ms * (double)words / plannedMs), 0, words);
}
