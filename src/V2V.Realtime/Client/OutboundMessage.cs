using System.Buffers;

namespace V2V.Realtime.Client;

/// <summary>Which lane of the send queue a message takes (<see cref="OutboundLanes"/> says why).</summary>
internal enum OutboundKind
{
    /// <summary><c>input_audio_buffer.append</c>: the audio lane, in order.</summary>
    Audio,

    /// <summary>Any other event: the control lane, ahead of queued audio.</summary>
    Control,

    /// <summary><c>input_audio_buffer.commit</c> / <c>.clear</c>: the control lane, but never ahead of the audio queued before it.</summary>
    AudioBarrier,
}

/// <summary>A serialized message waiting for the socket, in a buffer rented from the shared pool.</summary>
// Origin: Stopwatch timestamp of the frame an append carries, set only while RealtimeProbe is enabled (0 otherwise).
// Ticket: the message's place in the order of all sends, given when it is queued (OutboundLanes).
// Owned: the buffer is the connection's own (an append on the fast path), not the pool's.
internal readonly record struct OutboundMessage(byte[] Buffer, int Length, string Type, OutboundKind Kind, string? EventId = null, long Origin = 0, long Ticket = 0, bool Owned = false)
{
    public ReadOnlyMemory<byte> Payload => Buffer.AsMemory(0, Length);

    public void Return()
    {
        if (!Owned)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
