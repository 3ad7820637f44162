using System.Buffers;
using V2V.Frames;
using System.Buffers.Text;
using System.Text.Json;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Realtime.Protocol.Serialization;

/// <summary>
/// The hot path of the receive side: reads an audio delta without building a string of its base64, decoding
/// it from the message bytes into a pooled <see cref="PcmFrame"/> that the event owns.
/// </summary>
internal static class AudioDeltaReader
{
    public static ResponseOutputAudioDeltaEvent Read(ReadOnlySpan<byte> utf8, string type, RepeatedStringCache responseIds, RepeatedStringCache itemIds)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        string? responseId = null, itemId = null;
        // The event id is kept as its bytes (a string only if someone asks): an escaped or split id is rare enough to decode now.
        ReadOnlySpan<byte> eventId = default;
        byte[]? unescapedEventId = null;
        var hasEventId = false;
        int? outputIndex = null, contentIndex = null;
        var audio = default(PcmFrame);
        Dictionary<string, JsonElement>? extra = null;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                var escapedName = reader.ValueIsEscaped;
                reader.Read();
                if (escapedName)
                {
                    (extra ??= [])[reader.GetString() ?? ""] = JsonElement.ParseValue(ref reader);
                    continue;
                }
                if (name.SequenceEqual("type"u8)) continue;
                else if (name.SequenceEqual("event_id"u8)) hasEventId = ReadEventId(ref reader, ref eventId, ref unescapedEventId);
                else if (name.SequenceEqual("response_id"u8)) responseId = ReadId(ref reader, responseIds);
                else if (name.SequenceEqual("item_id"u8)) itemId = ReadId(ref reader, itemIds);
                else if (name.SequenceEqual("output_index"u8)) outputIndex = reader.GetInt32();
                else if (name.SequenceEqual("content_index"u8)) contentIndex = reader.GetInt32();
                else if (name.SequenceEqual("delta"u8)) Decode(ref reader, ref audio);
                else (extra ??= [])[System.Text.Encoding.UTF8.GetString(name)] = JsonElement.ParseValue(ref reader);
            }
            if (audio.IsNone || responseId is null || itemId is null || outputIndex is null || contentIndex is null)
            {
                throw new JsonException("The audio delta is missing a required field (response_id, item_id, output_index, content_index, delta).");
            }
            var evt = new ResponseOutputAudioDeltaEvent(type, unescapedEventId ?? eventId, hasEventId, responseId, itemId, outputIndex.Value, contentIndex.Value, audio)
            {
                AdditionalProperties = extra,
            };
            audio = default;
            return evt;
        }
        finally
        {
            audio.Dispose();
        }
    }

    private static bool ReadEventId(ref Utf8JsonReader reader, ref ReadOnlySpan<byte> raw, ref byte[]? unescaped)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("\"event_id\" must be a string.");
        }
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            unescaped = System.Text.Encoding.UTF8.GetBytes(reader.GetString()!);
        }
        else
        {
            raw = reader.ValueSpan;
        }
        return true;
    }

    private static string? ReadId(ref Utf8JsonReader reader, RepeatedStringCache cache) =>
        reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
            ? cache.Get(reader.ValueSpan)
            : reader.GetString();

    private static void Decode(ref Utf8JsonReader reader, ref PcmFrame frame)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("\"delta\" must be a base64 string.");
        }
        frame.Dispose(); // a second "delta" field replaces the first
        frame = default; // if the decode below throws, the caller's cleanup must not dispose the old frame again
        frame = reader.ValueIsEscaped || reader.HasValueSequence ? DecodeEscaped(ref reader) : DecodeBase64(reader.ValueSpan);
    }

    /// <summary>
    /// A delta with JSON escapes in its base64 (or split across buffers): unescaped into a pooled scratch buffer, then
    /// decoded. The service writes '+' as it is, but System.Text.Json's default encoder writes every '+' as <c>\u002B</c>,
    /// so this is the path of every delta from a peer built on it (a proxy, a relay); it must allocate nothing.
    /// </summary>
    private static PcmFrame DecodeEscaped(ref Utf8JsonReader reader)
    {
        // Unescaping never lengthens a string, so the escaped length is enough room.
        var escapedLength = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var scratch = ArrayPool<byte>.Shared.Rent(Math.Max(escapedLength, 1));
        try
        {
            return DecodeBase64(scratch.AsSpan(0, reader.CopyString(scratch)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The audio of unescaped base64, decoded straight into a pooled frame (disposed when it is not base64).</summary>
    private static PcmFrame DecodeBase64(ReadOnlySpan<byte> base64)
    {
        var frame = PcmFrame.Rent(Base64.GetMaxDecodedFromUtf8Length(base64.Length), ResponseOutputAudioDeltaEvent.ModelRate);
        var status = Base64.DecodeFromUtf8(base64, frame.WritableSpan, out _, out var written);
        if (status != OperationStatus.Done)
        {
            frame.Dispose();
            throw new JsonException($"\"delta\" is not valid base64 ({status}).");
        }
        frame.Trim(written);
        return frame;
    }
}
