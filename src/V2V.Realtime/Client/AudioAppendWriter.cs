using System.Buffers;
using System.Buffers.Text;

namespace V2V.Realtime.Client;

/// <summary>
/// The hot path of the send side: <c>{"type":"input_audio_buffer.append","audio":"BASE64"}</c> written with
/// the base64 encoded straight into one pooled buffer of the exact size: no string, no JSON writer.
/// </summary>
internal static class AudioAppendWriter
{
    private static ReadOnlySpan<byte> Prefix => "{\"type\":\"input_audio_buffer.append\",\"audio\":\""u8;
    private static ReadOnlySpan<byte> Suffix => "\"}"u8;

    /// <summary>The event type the message carries.</summary>
    public const string Type = "input_audio_buffer.append";

    /// <summary>The message size for <paramref name="audioBytes"/> bytes of audio.</summary>
    public static int MessageLength(int audioBytes) => Prefix.Length + Base64.GetMaxEncodedToUtf8Length(audioBytes) + Suffix.Length;

    /// <summary>Writes the message into <paramref name="destination"/> (at least <see cref="MessageLength"/> long); returns its length.</summary>
    public static int Write(ReadOnlySpan<byte> audio, Span<byte> destination)
    {
        Prefix.CopyTo(destination);
        var status = Base64.EncodeToUtf8(audio, destination[Prefix.Length..], out _, out var written);
        if (status != OperationStatus.Done)
        {
            throw new InvalidOperationException($"base64 encoding of the audio stopped with {status}.");
        }
        var end = Prefix.Length + written;
        Suffix.CopyTo(destination[end..]);
        return end + Suffix.Length;
    }

    /// <summary>Rents a buffer and writes the message into it.</summary>
    public static OutboundMessage Rent(ReadOnlySpan<byte> audio)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MessageLength(audio.Length));
        return new OutboundMessage(buffer, Write(audio, buffer), Type, OutboundKind.Audio);
    }
}
