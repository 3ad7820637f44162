using System.Text;

namespace V2V.Realtime.Protocol.Serialization;

/// <summary>
/// Remembers the last string read for one field: consecutive audio deltas carry the same response and item
/// ids, so the reader returns the string it already has instead of making a new one per chunk.
/// Used by one reader at a time.
/// </summary>
internal sealed class RepeatedStringCache
{
    private byte[] _lastUtf8 = [];
    private string _last = string.Empty;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (!utf8.SequenceEqual(_lastUtf8))
        {
            _lastUtf8 = utf8.ToArray();
            _last = Encoding.UTF8.GetString(utf8);
        }
        return _last;
    }
}
