using System.Text.Json;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Audio;

/// <summary>The audio of an <c>input_audio_buffer.append</c>, checked as the service checks it: base64, at most 15 MiB.</summary>
internal static class AppendedAudio
{
    /// <summary>OpenAI's limit for the audio of one append.</summary>
    public const int MaxAppendBytes = 15 * 1024 * 1024;

    /// <summary>The error the append gets, or null with <paramref name="samples"/> decoded from <paramref name="format"/>.</summary>
    public static RealtimeError? Read(JsonElement root, AudioFormat format, string? eventId, out short[] samples)
    {
        samples = [];
        if (!root.TryGetProperty("audio", out var audio) || audio.ValueKind != JsonValueKind.String)
        {
            return RealtimeError.Invalid("missing_required_parameter", "Missing required parameter: 'audio'.", "audio", eventId);
        }

        byte[] bytes;
        try
        {
            bytes = audio.GetBytesFromBase64();
        }
        catch (FormatException)
        {
            return RealtimeError.Invalid("invalid_value", "Invalid 'audio'. Expected base64-encoded audio bytes.", "audio", eventId);
        }

        if (bytes.Length > MaxAppendBytes)
        {
            return RealtimeError.Invalid("invalid_value", $"Audio of {bytes.Length} bytes exceeds the maximum of 15 MiB per append.", "audio", eventId);
        }

        samples = Pcm.Decode(bytes, format);
        return null;
    }
}
