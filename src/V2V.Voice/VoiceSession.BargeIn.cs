using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    /// <summary>
    /// Barge-in, in DESIGN.md's order: stop and drop the queued voice and say flush at once; cancel the
    /// response in progress; truncate the interrupted item at what was played (never beyond what the server
    /// sent; an item with no audio is not truncated); close the partial transcript as interrupted; remember
    /// the cancelled response so its late deltas are dropped.
    /// </summary>
    private async ValueTask BargeInAsync(string reason, CancellationToken ct)
    {
        var queued = _playout?.Count ?? 0;
        if (_responseId is null && queued == 0 && !_assistantTurnOpen)
        {
            return; // the agent is not speaking: nothing to interrupt
        }
        var (itemId, playedMs, dropped) = _playout?.Clear() ?? (_unpacedItem, _unpacedItemMs, 0);
        _cutter.Reset();
        await EmitAsync(new FlushOutput(itemId), ct).ConfigureAwait(false);
        if (dropped > 0)
        {
            VoiceMetrics.FramesDropped.Add(dropped, new KeyValuePair<string, object?>("reason", "barge_in"));
        }

        var cancelledResponse = _responseId;
        if (cancelledResponse is not null)
        {
            _cancelled.Add(cancelledResponse);
            _responseId = null;
            await SendAsync(new ResponseCancelEvent { ResponseId = cancelledResponse }, ct).ConfigureAwait(false);
        }

        // An item is truncated when part of it went unheard: audio was dropped, or its response was still
        // generating more. An item heard to its end needs nothing; an item with no audio cannot be truncated.
        if (itemId is not null && _itemReceivedMs.TryGetValue(itemId, out var receivedMs) && receivedMs > 0
            && (Math.Round(playedMs) < Math.Floor(receivedMs) || _itemResponse.GetValueOrDefault(itemId) == cancelledResponse))
        {
            var endMs = (int)Math.Clamp(Math.Round(playedMs), 0, Math.Floor(receivedMs));
            await SendAsync(new ConversationItemTruncateEvent
            {
                ItemId = itemId,
                ContentIndex = _itemContentIndex.GetValueOrDefault(itemId),
                AudioEndMs = endMs,
            }, ct).ConfigureAwait(false);
            _logger.LogInformation("Barge-in ({Reason}): truncated {Item} at {EndMs} ms of {ReceivedMs:F0} ms", reason, itemId, endMs, receivedMs);
        }

        if (_assistantTurnOpen)
        {
            await CloseAssistantTurnAsync(null, interrupted: true, ct).ConfigureAwait(false);
        }
        _waitingForFirstAudio = false;
        VoiceMetrics.Interruptions.Add(1);
    }
}
