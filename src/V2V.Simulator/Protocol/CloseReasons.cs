using System.Text;

namespace V2V.Simulator.Protocol;

/// <summary>Close reasons that fit the WebSocket close frame.</summary>
internal static class CloseReasons
{
    /// <summary>A close frame's payload is at most 125 bytes, 2 of them the status: the reason gets 123.</summary>
    public const int MaxBytes = 123;

    /// <summary><paramref name="reason"/>, cut at a character boundary so that its UTF-8 fits <see cref="MaxBytes"/>.</summary>
    public static string Fit(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxBytes)
        {
            return reason;
        }

        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxBytes)
        {
            length--;
        }

        // Never leave half of a surrogate pair at the end.
        if (length > 0 && char.IsHighSurrogate(reason[length - 1]))
        {
            length--;
        }

        return reason[..length];
    }
}
