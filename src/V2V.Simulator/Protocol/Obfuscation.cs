namespace V2V.Simulator.Protocol;

/// <summary>
/// The <c>obfuscation</c> field of the GA service's transcript deltas (the user's transcription and the answer's audio
/// transcript): random characters that pad each delta so that its size on the wire does not tell its text (as the
/// example payload and recorded GA traffic show). Clients must ignore it.
/// </summary>
internal static class Obfuscation
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string For(string delta)
    {
        Span<char> padding = stackalloc char[Math.Max(4, 16 - (delta.Length % 16))];
        for (var i = 0; i < padding.Length; i++)
        {
            padding[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }

        return new string(padding);
    }
}
