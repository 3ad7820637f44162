using System.Runtime.InteropServices;
using V2V.Realtime.Client;
using V2V.Voice.Diagnostics;

namespace V2V.Voice.Connection;

/// <summary>
/// The connection the input producer sends on, and the audio it keeps while there is none: the last
/// <c>keep</c> of it (bounded; older audio is dropped and counted), sent first, oldest first, on the next connection.
/// </summary>
internal sealed class LiveClientSlot(TimeSpan keep, int sampleRate, VoiceMetrics metrics)
{
    private readonly object _gate = new();
    private readonly Queue<short[]> _buffer = new();
    private long _bufferedSamples;
    private volatile IRealtimeConnection? _client;

    /// <summary>The live connection, or null while connecting, reconnecting or switching.</summary>
    public IRealtimeConnection? Client => _client;

    /// <summary>Keeps a chunk when there is no open connection; false when there is one (send on it).</summary>
    public bool TryBuffer(ReadOnlySpan<short> chunk)
    {
        var limit = (long)(keep.TotalSeconds * sampleRate);
        lock (_gate)
        {
            if (_client is { IsOpen: true })
            {
                return false;
            }
            _buffer.Enqueue(chunk.ToArray());
            _bufferedSamples += chunk.Length;
            while (_bufferedSamples > limit && _buffer.Count > 0)
            {
                _bufferedSamples -= _buffer.Dequeue().Length;
                metrics.FramesDropped.Add(1, new KeyValuePair<string, object?>("reason", "disconnected"));
            }
            return true;
        }
    }

    /// <summary>No live connection from now on: the producer buffers until <see cref="SendBufferedThenGoLiveAsync"/>.</summary>
    public IRealtimeConnection? Detach()
    {
        lock (_gate)
        {
            var client = _client;
            _client = null;
            return client;
        }
    }

    /// <summary>Detaches <paramref name="client"/> if it is the live one (a successor that went live meanwhile stays).</summary>
    public void Detach(IRealtimeConnection client)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_client, client))
            {
                _client = null;
            }
        }
    }

    /// <summary>
    /// Sends the audio kept meanwhile, oldest first, then makes <paramref name="client"/> the live one. The producer
    /// keeps buffering until then, so no audio overtakes older audio.
    /// </summary>
    public async Task SendBufferedThenGoLiveAsync(IRealtimeConnection client, CancellationToken ct)
    {
        while (true)
        {
            short[][] chunks;
            lock (_gate)
            {
                if (_buffer.Count == 0)
                {
                    _client = client;
                    return;
                }
                chunks = [.. _buffer];
                _buffer.Clear();
                _bufferedSamples = 0;
            }
            foreach (var chunk in chunks)
            {
                await client.SendAudioAsync(MemoryMarshal.AsBytes(chunk.AsSpan()).ToArray(), ct).ConfigureAwait(false);
            }
        }
    }
}
