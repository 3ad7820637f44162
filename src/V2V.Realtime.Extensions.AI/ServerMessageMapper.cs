using Microsoft.Extensions.AI;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Realtime.Extensions.AI;

/// <summary>
/// Our server events as MEAI's server messages, as Microsoft's OpenAI session maps the same events, so a caller
/// sees the same conversation from either client. Our event is the message's raw representation.
/// </summary>
internal static class ServerMessageMapper
{
    public static RealtimeServerMessage ToMessage(RealtimeServerEvent serverEvent)
    {
        RealtimeServerMessage message = serverEvent switch
        {
            ErrorEvent e => new ErrorRealtimeServerMessage { Error = ToError(e.Error), OriginatingMessageId = e.Error.EventId },
            ResponseCreatedEvent e => ToResponse(e.Response, RealtimeServerMessageType.ResponseCreated),
            ResponseDoneEvent e => ToResponse(e.Response, RealtimeServerMessageType.ResponseDone),
            ResponseOutputItemAddedEvent e => ToOutputItem(e.ResponseId, e.OutputIndex, e.Item, RealtimeServerMessageType.ResponseOutputItemAdded),
            ResponseOutputItemDoneEvent e => ToOutputItem(e.ResponseId, e.OutputIndex, e.Item, RealtimeServerMessageType.ResponseOutputItemDone),
            ConversationItemAddedEvent e => ToOutputItem(null, null, e.Item, RealtimeServerMessageType.ConversationItemAdded),
            ConversationItemDoneEvent e => ToOutputItem(null, null, e.Item, RealtimeServerMessageType.ConversationItemDone),
            // The delta's bytes are pooled and go back when the event is disposed: the message keeps its own copy.
            ResponseOutputAudioDeltaEvent e => ToContent(e, RealtimeServerMessageType.OutputAudioDelta, audio: Convert.ToBase64String(e.Audio.Span)),
            ResponseOutputAudioDoneEvent e => ToContent(e, RealtimeServerMessageType.OutputAudioDone),
            ResponseOutputAudioTranscriptDeltaEvent e => ToContent(e, RealtimeServerMessageType.OutputAudioTranscriptionDelta, text: e.Delta),
            ResponseOutputAudioTranscriptDoneEvent e => ToContent(e, RealtimeServerMessageType.OutputAudioTranscriptionDone, text: e.Transcript),
            ResponseOutputTextDeltaEvent e => ToContent(e, RealtimeServerMessageType.OutputTextDelta, text: e.Delta),
            ResponseOutputTextDoneEvent e => ToContent(e, RealtimeServerMessageType.OutputTextDone, text: e.Text),
            ConversationItemInputAudioTranscriptionDeltaEvent e => new InputAudioTranscriptionRealtimeServerMessage(RealtimeServerMessageType.InputAudioTranscriptionDelta)
            {
                ItemId = e.ItemId,
                ContentIndex = e.ContentIndex,
                Transcription = e.Delta,
            },
            ConversationItemInputAudioTranscriptionCompletedEvent e => new InputAudioTranscriptionRealtimeServerMessage(RealtimeServerMessageType.InputAudioTranscriptionCompleted)
            {
                ItemId = e.ItemId,
                ContentIndex = e.ContentIndex,
                Transcription = e.Transcript,
            },
            ConversationItemInputAudioTranscriptionFailedEvent e => new InputAudioTranscriptionRealtimeServerMessage(RealtimeServerMessageType.InputAudioTranscriptionFailed)
            {
                ItemId = e.ItemId,
                ContentIndex = e.ContentIndex,
                Error = ToError(e.Error),
            },
            // Session, buffer, rate-limit and unknown events: MEAI has no type for them.
            _ => new RealtimeServerMessage { Type = RealtimeServerMessageType.RawContentOnly },
        };
        message.MessageId ??= serverEvent.EventId;
        message.RawRepresentation = serverEvent;
        return message;
    }

    private static ErrorContent ToError(RealtimeErrorDetails error) => new(error.Message) { ErrorCode = error.Code, Details = error.Param };

    private static ResponseCreatedRealtimeServerMessage ToResponse(RealtimeResponse response, RealtimeServerMessageType type) => new(type)
    {
        ResponseId = response.Id,
        Status = response.Status,
        OutputModalities = response.OutputModalities,
        OutputVoice = response.Audio?.Output?.Voice?.Id,
        MaxOutputTokens = response.MaxOutputTokens?.Value,
        Items = response.Output is { } output ? [.. output.Select(ConversationItemMapper.ToMeai)] : null,
        Usage = response.Usage is { } usage ? new UsageDetails
        {
            InputTokenCount = usage.InputTokens,
            OutputTokenCount = usage.OutputTokens,
            TotalTokenCount = usage.TotalTokens,
        } : null,
        Error = response.StatusDetails?.Error is { } error ? ToError(error) : null,
    };

    private static ResponseOutputItemRealtimeServerMessage ToOutputItem(string? responseId, int? outputIndex, Protocol.Models.RealtimeConversationItem item, RealtimeServerMessageType type) => new(type)
    {
        ResponseId = responseId,
        OutputIndex = outputIndex,
        Item = ConversationItemMapper.ToMeai(item),
    };

    private static OutputTextAudioRealtimeServerMessage ToContent(RealtimeResponseContentEvent e, RealtimeServerMessageType type, string? text = null, string? audio = null) => new(type)
    {
        ResponseId = e.ResponseId,
        ItemId = e.ItemId,
        OutputIndex = e.OutputIndex,
        ContentIndex = e.ContentIndex,
        Text = text,
        Audio = audio,
    };
}
