namespace V2V.Simulator.Session;

/// <summary>What a content part is, independent of how each dialect names it on the wire.</summary>
internal enum ContentKind
{
    InputText,
    InputAudio,
    OutputText,
    OutputAudio,
}

/// <summary>One part of a message item. Audio is held as 24 kHz pcm16 samples, whatever the wire format.</summary>
internal sealed class ContentPart
{
    private short[]? _audio;

    public required ContentKind Kind { get; init; }

    public string? Text { get; set; }

    public string? Transcript { get; set; }

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

    public int AudioMs => V2V.Simulator.Audio.Pcm.Ms(AudioSamples);

    /// <summary>Number of words of <paramref name="words"/> whose audio has started by <paramref name="ms"/>.</summary>
    public static int WordsStartedBy(int ms, int words, int plannedMs) =>
        plannedMs <= 0 ? words : (int)Math.Clamp(Math.Ceiling(ms * (double)words / plannedMs), 0, words);
}
