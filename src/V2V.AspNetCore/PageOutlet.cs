using V2V.Frames;

namespace V2V.AspNetCore;

/// <summary>
/// The session's way out to whichever socket of its page is attached. While none is (the page lost its socket and may
/// resume), the voice is dropped (no one hears it; the session was interrupted where the listener was) and the events
/// are kept, at most <see cref="MaxParkedEvents"/>, the oldest dropped beyond that and the page told how many when it
/// comes back. A page's socket gets, in order: <c>ready</c>, what was kept, then the session's outputs as they come.
/// </summary>
internal sealed class PageOutlet : IDisposable
{
    /// <summary>Events kept for a page that is away; beyond this the oldest go (and the page is told how many).</summary>
    public const int MaxParkedEvents = 256;

    // One send at a time, and an attach never between an item's announcement and its audio.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Queue<byte[]> _parked = new();
    private PageSender? _sender;
    private string? _announcedItem;
    private int _dropped;

    /// <summary>What became of an output.</summary>
    public enum Delivery
    {
        Sent,

        /// <summary>No socket is attached: an event was kept, audio dropped.</summary>
        Away,

        /// <summary>The attached socket's send failed now (it is detached; an event was kept).</summary>
        Failed,
    }

    /// <summary>Events dropped since the page was last attached, beyond <see cref="MaxParkedEvents"/>.</summary>
    public int Dropped => _dropped;

    /// <summary>Attaches a page's socket: <paramref name="ready"/> first, then what was kept while it was away. False when a send failed.</summary>
    public async ValueTask<bool> AttachAsync(PageSender sender, byte[] ready, Func<int, byte[]> droppedNotice)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _announcedItem = null; // the page counts its items afresh
            if (!await sender.SendJsonAsync(ready).ConfigureAwait(false))
            {
                return false;
            }
            if (_dropped > 0)
            {
                if (!await sender.SendJsonAsync(droppedNotice(_dropped)).ConfigureAwait(false))
                {
                    return false;
                }
                _dropped = 0;
            }
            while (_parked.TryPeek(out var kept))
            {
                if (!await sender.SendJsonAsync(kept).ConfigureAwait(false))
                {
                    return false;
                }
                _parked.Dequeue();
            }
            _sender = sender;
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The page's socket is gone: outputs are kept (events) or dropped (voice) until another is attached.</summary>
    public async ValueTask DetachAsync()
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        _sender = null;
        _gate.Release();
    }

    public async ValueTask<Delivery> SendJsonAsync(byte[] json)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_sender is { } sender)
            {
                if (await sender.SendJsonAsync(json).ConfigureAwait(false))
                {
                    return Delivery.Sent;
                }
                _sender = null;
                Keep(json);
                return Delivery.Failed;
            }
            Keep(json);
            return Delivery.Away;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A frame of the agent's voice, its item announced first (<c>audio_item</c>) when it is a new one for this socket.</summary>
    public async ValueTask<Delivery> SendAudioAsync(PcmFrame frame)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_sender is not { } sender)
            {
                return Delivery.Away;
            }
            if (frame.ItemId is { } itemId && itemId != _announcedItem)
            {
                // The page counts what it plays of each item from here: its 'played' reports name it.
                _announcedItem = itemId;
                if (!await sender.SendJsonAsync(PageEvents.AudioItem(itemId, frame.ItemEndMs - frame.Duration.TotalMilliseconds)).ConfigureAwait(false))
                {
                    _sender = null;
                    return Delivery.Failed;
                }
            }
            if (await sender.SendAudioAsync(frame.Memory).ConfigureAwait(false))
            {
                return Delivery.Sent;
            }
            _sender = null;
            return Delivery.Failed;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Keep(byte[] json)
    {
        if (_parked.Count == MaxParkedEvents)
        {
            _parked.Dequeue();
            _dropped++;
        }
        _parked.Enqueue(json);
    }

    public void Dispose() => _gate.Dispose();
}
