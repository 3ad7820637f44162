using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace V2V.Realtime.Protocol.Serialization;

/// <summary>Reads a JSON <c>null</c> as <typeparamref name="T"/>.Disabled and writes that instance back as <c>null</c>; absent stays absent.</summary>
public sealed class DisabledAsNullConverter<T> : JsonConverter<T> where T : class, IDisableable<T>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return T.Disabled;
        }
        return JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        if (value is null || ReferenceEquals(value, T.Disabled))
        {
            writer.WriteNullValue();
            return;
        }
        JsonSerializer.Serialize(writer, value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
    }
}
