using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Models;

namespace V2V.Realtime.Protocol.Serialization;

/// <summary>A token limit is an integer or the string <c>"inf"</c>.</summary>
public sealed class RealtimeTokenLimitConverter : JsonConverter<RealtimeTokenLimit>
{
    /// <inheritdoc />
    public override RealtimeTokenLimit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => new RealtimeTokenLimit(reader.GetInt32()),
            JsonTokenType.String when reader.ValueTextEquals("inf"u8) => RealtimeTokenLimit.Infinite,
            _ => throw new JsonException("max_output_tokens must be an integer or \"inf\"."),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RealtimeTokenLimit value, JsonSerializerOptions options)
    {
        if (value.Value is int tokens)
        {
            writer.WriteNumberValue(tokens);
        }
        else
        {
            writer.WriteStringValue("inf"u8);
        }
    }
}
