using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol.ClientEvents;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    /// <summary>How long a new response waits for the <c>response.done</c> of a cancelled one before it is asked for anyway.</summary>
    private static readonly TimeSpan CancelledResponseDoneWait = TimeSpan.FromSeconds(3);

    // A response asked for while the service still held one (a cancel not yet done): sent once that one is done.
    private ResponseCreateEvent? _deferredCreate;

    /// <summary>
    /// Asks the service for a response, or, while it still holds one (cancelled, its response.done not yet come),
    /// once that one is done: a create sent meanwhile would be refused and lost. A later request supersedes a
    /// deferred one (one answer, to the latest input). The wait is bounded by <see cref="CancelledResponseDoneWait"/>.
    /// </summary>
    private async ValueTask RequestResponseAsync(ResponseCreateEvent create, CancellationToken ct)
    {
        if (_turns.CanCreateResponse)
        {
            await SendAsync(create, ct).ConfigureAwait(false);
            _turns.OnResponseRequested();
            return;
        }
        var first = _deferredCreate is null;
        _deferredCreate = create;
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
        if (_deferredCreate is { } create && _turns.CanCreateResponse)
        {
            _deferredCreate = null;
            await SendAsync(create, ct).ConfigureAwait(false);
            _turns.OnResponseRequested();
        }
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
