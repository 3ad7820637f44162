using V2V.Ten.Messages;

namespace V2V.Playground.Sessions;

/// <summary>
/// The frames of an interrupted answer that reach a transport node after its flush. The flush cmd overtakes the
/// frames already queued to the node, so those still come, and belong to the item that was playing when it came:
/// they are dropped (disposed and counted), never played after the barge-in.
/// </summary>
internal sealed class StaleAfterFlush
{
    private string? _playingItem;
    private string? _flushedItem;
    private long _dropped;

    /// <summary>Frames of an interrupted answer that arrived after its flush and were dropped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Whether <paramref name="frame"/> is to be played; a stale one is disposed here.</summary>
    public bool Admit(AudioFrame frame)
    {
        var item = frame.ItemId;
        if (item is not null && item == _flushedItem)
        {
            Interlocked.Increment(ref _dropped);
            frame.Dispose();
            return false;
        }
        _playingItem = item;
        return true;
    }

    /// <summary>A flush came: what is still to come of the item playing now is stale.</summary>
    public void Flushed() => _flushedItem = _playingItem;
}
