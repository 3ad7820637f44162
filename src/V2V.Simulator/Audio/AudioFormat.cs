namespace V2V.Simulator.Audio;

/// <summary>Audio formats of the protocol: pcm16 at 24 kHz, or G.711 at 8 kHz.</summary>
internal enum AudioFormat
{
    Pcm16,
    G711Ulaw,
    G711Alaw,
}

/// <summary>Names of the formats in each dialect (beta strings, GA <c>{type: ...}</c> objects).</summary>
internal static class AudioFormatNames
{
    public static AudioFormat? FromBeta(string? name) => name switch
    {
        "pcm16" => AudioFormat.Pcm16,
        "g711_ulaw" => AudioFormat.G711Ulaw,
        "g711_alaw" => AudioFormat.G711Alaw,
        _ => null,
    };

    public static string ToBeta(AudioFormat format) => format switch
    {
        AudioFormat.G711Ulaw => "g711_ulaw",
        AudioFormat.G711Alaw => "g711_alaw",
        _ => "pcm16",
    };

    public static AudioFormat? FromGa(string? type) => type switch
    {
        "audio/pcm" => AudioFormat.Pcm16,
        "audio/pcmu" => AudioFormat.G711Ulaw,
        "audio/pcma" => AudioFormat.G711Alaw,
        _ => null,
    };

    public static string ToGa(AudioFormat format) => format switch
    {
        AudioFormat.G711Ulaw => "audio/pcmu",
        AudioFormat.G711Alaw => "audio/pcma",
        _ => "audio/pcm",
    };
}
