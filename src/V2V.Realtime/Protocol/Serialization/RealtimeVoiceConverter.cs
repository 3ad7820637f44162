using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Models;

namespace V2V.Realtime.Protocol.Serialization;

/// <summary>A voice is a string (built-in) or an object <c>{"id": ...}</c> (custom voice).</summary>
public sealed class RealtimeVoiceConverter : JsonConverter<RealtimeVoice>
{
    /// <inheritdoc />
    public override RealtimeVoice? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new RealtimeVoice(reader.GetString()!);
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"A voice must be a string or an object with an id, not {reader.TokenType}.");
        }
        string? id = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                id = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
        return new RealtimeVoice(id ?? throw new JsonException("A custom voice object needs an \"id\"."), IsCustom: true);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RealtimeVoice value, JsonSerializerOptions options)
    {
        if (!value.IsCustom)
        {
            writer.WriteStringValue(value.Id);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("id"u8, value.Id);
        writer.WriteEndObject();
    }
}
