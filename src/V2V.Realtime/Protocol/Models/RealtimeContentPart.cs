using System.Text.Json;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.Models;

/// <summary>A part of a message's content. Types are the GA names; the beta names <c>text</c> and <c>audio</c> map to <c>output_text</c> and <c>output_audio</c>.</summary>
public sealed class RealtimeContentPart
{
    /// <summary>Text from the user or system.</summary>
    public const string InputTextType = "input_text";

    /// <summary>Audio from the user.</summary>
    public const string InputAudioType = "input_audio";

    /// <summary>An image from the user (GA only): PNG or JPEG, as a base64 data URI.</summary>
    public const string InputImageType = "input_image";

    /// <summary>Text from the model (beta: <c>text</c>).</summary>
    public const string OutputTextType = "output_text";

    /// <summary>Audio from the model (beta: <c>audio</c>).</summary>
    public const string OutputAudioType = "output_audio";

    /// <summary>The part type: <c>input_text</c>, <c>input_audio</c>, <c>output_text</c>, <c>output_audio</c>, ...</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>The text of a text part.</summary>
    [JsonPropertyName("text")] public string? Text { get; set; }

    /// <summary>Base64 audio of an audio part.</summary>
    [JsonPropertyName("audio")] public string? Audio { get; set; }

    /// <summary>The transcript of an audio part.</summary>
    [JsonPropertyName("transcript")] public string? Transcript { get; set; }

    /// <summary>The image of an image part: a base64 data URI (<c>data:image/png;base64,...</c>).</summary>
    [JsonPropertyName("image_url")] public string? ImageUrl { get; set; }

    /// <summary>The detail an image part is seen at: <c>auto</c>, <c>low</c> or <c>high</c>.</summary>
    [JsonPropertyName("detail")] public string? Detail { get; set; }

    /// <summary>Fields this model does not know, with their raw JSON.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
