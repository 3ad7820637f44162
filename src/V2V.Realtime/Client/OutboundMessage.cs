using System.Buffers;

namespace V2V.Realtime.Client;

/// <summary>A serialized message waiting for the socket, in a buffer rented from the shared pool.</summary>
// Origin: Stopwatch timestamp of the frame an append carries, set only while RealtimeProbe is enabled (0 otherwise).
internal readonly record struct OutboundMessage(byte[] Buffer, int Length, string Type, long Origin = 0)
{
    public ReadOnlyMemory<byte> Payload => Buffer.AsMemory(0, Length);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
