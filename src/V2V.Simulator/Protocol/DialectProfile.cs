using RealtimeDialect = V2V.Realtime.Protocol.RealtimeDialect;

namespace V2V.Simulator.Protocol;

/// <summary>
/// Every difference between the GA and beta dialects that the server's output depends on, in one place:
/// the rest of the server asks the profile instead of testing the dialect.
/// </summary>
internal sealed class DialectProfile
{
    public static readonly DialectProfile Ga = new()
    {
        Dialect = RealtimeDialect.GA,
        SchemaResource = "V2V.Simulator.Protocol.openai-realtime-ga.schema.json",
        AudioDelta = "response.output_audio.delta",
        AudioDone = "response.output_audio.done",
        AudioTranscriptDelta = "response.output_audio_transcript.delta",
        AudioTranscriptDone = "response.output_audio_transcript.done",
        TextDelta = "response.output_text.delta",
        TextDone = "response.output_text.done",
        AssistantAudioContent = "output_audio",
        AssistantTextContent = "output_text",
        ItemAddedEvent = "conversation.item.added",
        SendsItemDone = true,
        DefaultModel = "gpt-realtime",
    };

    public static readonly DialectProfile Beta = new()
    {
        Dialect = RealtimeDialect.Beta,
        SchemaResource = "V2V.Simulator.Protocol.openai-realtime-beta.schema.json",
        AudioDelta = "response.audio.delta",
        AudioDone = "response.audio.done",
        AudioTranscriptDelta = "response.audio_transcript.delta",
        AudioTranscriptDone = "response.audio_transcript.done",
        TextDelta = "response.text.delta",
        TextDone = "response.text.done",
        AssistantAudioContent = "audio",
        AssistantTextContent = "text",
        ItemAddedEvent = "conversation.item.created",
        SendsItemDone = false,
        DefaultModel = "gpt-4o-realtime-preview",
    };

    public required RealtimeDialect Dialect { get; init; }

    /// <summary>Manifest name of the embedded schema file of this dialect.</summary>
    public required string SchemaResource { get; init; }

    public required string AudioDelta { get; init; }

    public required string AudioDone { get; init; }

    public required string AudioTranscriptDelta { get; init; }

    public required string AudioTranscriptDone { get; init; }

    public required string TextDelta { get; init; }

    public required string TextDone { get; init; }

    /// <summary>Content type of an assistant audio part inside an item (GA <c>output_audio</c>, beta <c>audio</c>).</summary>
    public required string AssistantAudioContent { get; init; }

    /// <summary>Content type of an assistant text part inside an item (GA <c>output_text</c>, beta <c>text</c>).</summary>
    public required string AssistantTextContent { get; init; }

    /// <summary>
    /// The event that tells an item joined the conversation: GA <c>conversation.item.added</c> (the GA service no
    /// longer sends <c>conversation.item.created</c>), beta <c>conversation.item.created</c>.
    /// </summary>
    public required string ItemAddedEvent { get; init; }

    /// <summary>GA finalizes each item with <c>conversation.item.done</c>; beta has no such event.</summary>
    public required bool SendsItemDone { get; init; }

    /// <summary>Model reported when the client names none.</summary>
    public required string DefaultModel { get; init; }

    public bool IsGa => Dialect == RealtimeDialect.GA;

    public static DialectProfile For(RealtimeDialect dialect) => dialect == RealtimeDialect.GA ? Ga : Beta;
}
