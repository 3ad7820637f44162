using System.Text.Json;
using Microsoft.Extensions.AI;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;

namespace V2V.Realtime.Extensions.AI;

/// <summary>
/// MEAI's client messages as our typed client events; the message's id becomes the event's <c>event_id</c>. An audio
/// append is not an event here: the session sends its bytes straight to the connection (<see cref="AudioBytes"/>).
/// </summary>
internal static class ClientMessageMapper
{
    public static RealtimeClientEvent ToEvent(RealtimeClientMessage message, RealtimeDialect dialect) => message switch
    {
        SessionUpdateRealtimeClientMessage update => new SessionUpdateEvent
        {
            Session = SessionOptionsMapper.ToSession(update.Options ?? throw MissingField(update, nameof(update.Options)), dialect),
            EventId = message.MessageId,
        },
        CreateConversationItemRealtimeClientMessage create => new ConversationItemCreateEvent
        {
            Item = ConversationItemMapper.ToItem(create.Item ?? throw MissingField(create, nameof(create.Item))),
            EventId = message.MessageId,
        },
        CreateResponseRealtimeClientMessage response => new ResponseCreateEvent { Response = ToResponseParams(response, dialect), EventId = message.MessageId },
        InputAudioBufferCommitRealtimeClientMessage => new InputAudioBufferCommitEvent { EventId = message.MessageId },
        { RawRepresentation: RealtimeClientEvent raw } => raw,
        _ => throw new NotSupportedException(
            $"{message.GetType().Name} has no realtime event: send one of MEAI's client messages, or put a V2V.Realtime.Protocol client event in its RawRepresentation."),
    };

    /// <summary>The audio of an append: the content's bytes (a data URI is decoded by <see cref="DataContent"/> itself).</summary>
    public static ReadOnlyMemory<byte> AudioBytes(InputAudioBufferAppendRealtimeClientMessage append)
    {
        var content = append.Content ?? throw MissingField(append, nameof(append.Content));
        if (!content.HasTopLevelMediaType("audio"))
        {
            throw new ArgumentException($"InputAudioBufferAppendRealtimeClientMessage.Content has media type '{content.MediaType}'; append audio (audio/pcm, pcm16 24 kHz mono).", nameof(append));
        }
        return content.Data;
    }

    private static RealtimeResponseCreateParams ToResponseParams(CreateResponseRealtimeClientMessage message, RealtimeDialect dialect) => new()
    {
        Instructions = message.Instructions,
        OutputModalities = SessionOptionsMapper.ToModalities(message.OutputModalities, dialect),
        MaxOutputTokens = message.MaxOutputTokens is int max ? new RealtimeTokenLimit(max) : null,
        Audio = message.OutputVoice is null && message.OutputAudioOptions is null ? null : new RealtimeResponseAudio
        {
            Output = new RealtimeAudioOutput
            {
                Voice = message.OutputVoice is { } voice ? new RealtimeVoice(voice) : null,
                Format = SessionOptionsMapper.ToFormat(message.OutputAudioOptions),
            },
        },
        Tools = message.Tools is { } tools ? SessionOptionsMapper.ToTools(tools) : null,
        ToolChoice = SessionOptionsMapper.ToToolChoice(message.ToolMode),
        Conversation = message.ExcludeFromConversation is true ? JsonElement.Parse("\"none\"") : default,
        Input = message.Items is { } items ? [.. items.Select(ConversationItemMapper.ToItem)] : null,
    };

    private static ArgumentException MissingField(RealtimeClientMessage message, string field) =>
        new($"{message.GetType().Name}.{field} is null; set it before sending.", nameof(message));
}
