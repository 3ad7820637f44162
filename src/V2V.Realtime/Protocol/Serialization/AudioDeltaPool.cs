using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Realtime.Protocol.Serialization;

/// <summary>
/// Audio delta events given back by their readers (<see cref="ResponseOutputAudioDeltaEvent.Dispose"/>), for the
/// parser to fill with later deltas: a session that disposes its deltas allocates nothing per delta. One per parser.
/// Bounded: a reader that disposes more than <see cref="Capacity"/> events it holds at once lets the rest be collected.
/// </summary>
internal sealed class AudioDeltaPool(string type)
{
    /// <summary>At most this many idle events are kept.</summary>
    public const int Capacity = 8;

    private readonly ResponseOutputAudioDeltaEvent?[] _idle = new ResponseOutputAudioDeltaEvent?[Capacity];
    private int _count;

    /// <summary>The wire name of the events of this pool.</summary>
    public string Type => type;

    /// <summary>An idle event, or a new one owned by this pool.</summary>
    public ResponseOutputAudioDeltaEvent Rent()
    {
        lock (_idle)
        {
            if (_count > 0)
            {
                var reused = _idle[--_count]!;
                _idle[_count] = null;
                return reused;
            }
        }

        return new ResponseOutputAudioDeltaEvent(type, this);
    }

    /// <summary>Takes an event back once its reader has disposed it.</summary>
    public void Return(ResponseOutputAudioDeltaEvent evt)
    {
        lock (_idle)
        {
            if (_count < Capacity)
            {
                _idle[_count++] = evt;
            }
        }
    }
}
