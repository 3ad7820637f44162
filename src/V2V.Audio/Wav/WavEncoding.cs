namespace V2V.Audio;

/// <summary>The sample encodings the reader decodes, from the fmt chunk's format tag (or extensible sub-format).</summary>
internal enum WavEncoding
{
    Pcm = 0x0001,
    IeeeFloat = 0x0003,
    ALaw = 0x0006,
    MuLaw = 0x0007,
}
