using System.Buffers;

namespace V2V.Realtime.Client;

/// <summary>A serialized message waiting for the socket, in a buffer rented from the shared pool.</summary>
internal readonly record struct OutboundMessage(byte[] Buffer, int Length, string Type)
{
    public ReadOnlyMemory<byte> Payload => Buffer.AsMemory(0, Length);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
