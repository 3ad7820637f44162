using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    /// <summary>
    /// Barge-in, in DESIGN.md's order: stop and drop the queued voice (and the words queued with it) and say flush at
    /// once; then what the turn tracker decides from what was heard: cancel the response in progress, truncate each
    /// item not heard to its end; close the transcript as interrupted at what was heard.
    /// </summary>
    private async ValueTask BargeInAsync(string reason, CancellationToken ct)
    {
        var queued = _playout?.Count ?? 0;
        if (_turns.ActiveResponseId is null && queued == 0 && !_transcript.IsOpen)
        {
            return; // the agent is not speaking: nothing to interrupt
        }
        var (itemId, playedMs, dropped, cutTurn) = _playout?.Clear() ?? (_unpacedItem, _unpacedItemMs, 0, null);
        _cutter.Reset();
        await EmitAsync(new FlushOutput(itemId), ct).ConfigureAwait(false);
        if (dropped > 0)
        {
            VoiceMetrics.FramesDropped.Add(dropped, new KeyValuePair<string, object?>("reason", "barge_in"));
        }

        var plan = _turns.BargeIn(itemId, playedMs);
        if (plan.CancelResponseId is { } cancelled)
        {
            await SendAsync(new ResponseCancelEvent { ResponseId = cancelled }, ct).ConfigureAwait(false);
        }
        foreach (var truncate in plan.Truncates)
        {
            await SendAsync(new ConversationItemTruncateEvent
            {
                ItemId = truncate.ItemId,
                ContentIndex = truncate.ContentIndex,
                AudioEndMs = truncate.AudioEndMs,
            }, ct).ConfigureAwait(false);
            _logger.LogInformation("Barge-in ({Reason}): truncated {Item} at {EndMs} ms of {ReceivedMs:F0} ms", reason, truncate.ItemId, truncate.AudioEndMs, _turns.ReceivedMs(truncate.ItemId));
        }

        if (_playout is not null)
        {
            TakeHeardTurns();
            await CloseCutTurnAsync(cutTurn, ct).ConfigureAwait(false);
        }
        else if (_transcript.IsOpen)
        {
            await CloseAssistantTurnAsync(null, interrupted: true, ct).ConfigureAwait(false);
        }
        _waitingForFirstAudio = false;
        VoiceMetrics.Interruptions.Add(1);
    }
}
