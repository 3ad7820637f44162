using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Outputs;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    /// <summary>How long a new response waits for the <c>response.done</c> of a cancelled one before it is asked for anyway.</summary>
    private static readonly TimeSpan CancelledResponseDoneWait = TimeSpan.FromSeconds(3);

    private const string ActiveResponseCode = "conversation_already_has_active_response";

    /// <summary>A response asked for: its parameters (null: the session's), and whether it was refused once already.</summary>
    private sealed record ResponseAsk(RealtimeResponseCreateParams? Params, bool IsRetry = false);

    // A response asked for while the service still held one (a cancel not yet done, or a create it refused): sent once that one is done.
    private ResponseAsk? _deferredCreate;

    // The last response.create sent, by event id: the service's refusal names it.
    private (string EventId, ResponseAsk Ask)? _lastCreate;

    /// <summary>
    /// Asks the service for a response, or, while it still holds one (cancelled, its response.done not yet come),
    /// once that one is done: a create sent meanwhile would be refused and lost. A later request supersedes a
    /// deferred one (one answer, to the latest input). The wait is bounded by <see cref="CancelledResponseDoneWait"/>.
    /// </summary>
    private async ValueTask RequestResponseAsync(RealtimeResponseCreateParams? response, CancellationToken ct)
    {
        var ask = new ResponseAsk(response);
        if (_turns.CanCreateResponse)
        {
            await SendCreateAsync(ask, ct).ConfigureAwait(false);
            return;
        }
        var first = _deferredCreate is null;
        _deferredCreate = ask;
        if (first && _turns.AwaitingDoneOf is { } awaited)
        {
            _ = Task.Run(async () =>
            {
                await Task.Delay(CancelledResponseDoneWait, _lifetime.Token).ConfigureAwait(false);
                await PostAsync(innerCt => GiveUpWaitingForDoneAsync(awaited, innerCt), "cancelled response not done in time").ConfigureAwait(false);
            }, CancellationToken.None);
        }
    }

    /// <summary>Sends the deferred response request once the service can take it (after a response.done).</summary>
    private async ValueTask SendDeferredResponseIfReadyAsync(CancellationToken ct)
    {
        if (_deferredCreate is { } ask && _turns.CanCreateResponse)
        {
            _deferredCreate = null;
            await SendCreateAsync(ask, ct).ConfigureAwait(false);
        }
    }

    private async ValueTask SendCreateAsync(ResponseAsk ask, CancellationToken ct)
    {
        var create = new ResponseCreateEvent { Response = ask.Params, EventId = _eventIds.Next("response") };
        _lastCreate = (create.EventId!, ask);
        await SendAsync(create, ct).ConfigureAwait(false);
        _turns.OnResponseRequested();
    }

    /// <summary>
    /// Our last create refused because the service still has a response active (one this side did not know of, or a
    /// cancelled one it held longer than <see cref="CancelledResponseDoneWait"/>): it is asked for again, once, after
    /// the next <c>response.done</c>, unless a later request supersedes it. A retry refused again is reported, never
    /// dropped silently. False when <paramref name="error"/> is no such refusal.
    /// </summary>
    private async ValueTask<bool> OnCreateRefusedAsync(ErrorEvent error, CancellationToken ct)
    {
        if (error.Error.Code != ActiveResponseCode || _lastCreate is not { } last || last.EventId != error.Error.EventId)
        {
            return false;
        }
        _lastCreate = null;
        _turns.OnCreateRefusedForActiveResponse();
        if (last.Ask.IsRetry)
        {
            _logger.LogWarning("A response was refused twice for an active response: {Error}", error.Error);
            await EmitAsync(new ErrorOutput(
                $"The service refused a response twice because another response was still active; no answer was asked for this turn ({error.Error}).",
                ActiveResponseCode, Fatal: false), ct).ConfigureAwait(false);
            return true;
        }
        _logger.LogDebug("A response was refused while another was active: asking again after its response.done");
        _deferredCreate ??= last.Ask with { IsRetry = true };
        return true;
    }

    private async ValueTask GiveUpWaitingForDoneAsync(string awaited, CancellationToken ct)
    {
        if (_turns.AwaitingDoneOf != awaited)
        {
            return;
        }
        _logger.LogWarning("The cancelled response {Response} was not done within {Wait}: asking for the next one anyway", awaited, CancelledResponseDoneWait);
        _turns.StopAwaitingDone();
        await SendDeferredResponseIfReadyAsync(ct).ConfigureAwait(false);
    }
}
