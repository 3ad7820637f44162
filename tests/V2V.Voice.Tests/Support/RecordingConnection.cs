using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;

namespace V2V.Voice.Tests.Support;

/// <summary>
/// A connection with no server behind it, for the stages that send on one: open, it keeps the audio appended to it
/// in order and counts the appends; it sends no events (reading waits until cancelled).
/// </summary>
internal sealed class RecordingConnection : IRealtimeConnection
{
    private readonly List<short> _samples = [];

    /// <summary>The <c>input_audio_buffer.append</c>s sent.</summary>
    public int AppendsSent { get; private set; }

    /// <summary>The samples appended, in order.</summary>
    public List<short> Samples() => [.. _samples];

    public RealtimeDialect Dialect => RealtimeDialect.GA;

    public string Endpoint => "test://recording";

    public WebSocketCloseStatus? CloseStatus => null;

    public string? CloseStatusDescription => null;

    public bool IsOpen => !_lost;

    /// <summary>When set, the append after this many is refused as on a connection that was just lost (and it stays lost).</summary>
    public int? LostAfterAppends { get; init; }

    private bool _lost;

    /// <summary>The events sent other than audio appends, in order.</summary>
    public List<RealtimeClientEvent> Sent { get; } = [];

    /// <summary>When set, events other than appends fail as on a connection that broke under the send (none is kept).</summary>
    public bool BreaksUnderEvents { get; set; }

    /// <summary>Told each event other than an append once it is sent, before the sender goes on (the service's answer read at once).</summary>
    public Action<RealtimeClientEvent>? OnSent { get; init; }

    public ValueTask SendAsync(RealtimeClientEvent clientEvent, CancellationToken cancellationToken = default)
    {
        if (BreaksUnderEvents)
        {
            return ValueTask.FromException(new RealtimeConnectionLostException("The test's connection broke under the send."));
        }
        lock (Sent)
        {
            Sent.Add(clientEvent);
        }
        OnSent?.Invoke(clientEvent);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken = default) =>
        SendAudioAsync(MemoryMarshal.Cast<byte, short>(audio.Span), cancellationToken);

    public ValueTask SendAudioAsync(ReadOnlySpan<short> samples, CancellationToken cancellationToken = default)
    {
        if (_lost || AppendsSent == LostAfterAppends)
        {
            _lost = true;
            return ValueTask.FromException(new RealtimeConnectionLostException("The test's connection was lost."));
        }
        AppendsSent++;
        _samples.AddRange(samples);
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<RealtimeServerEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        yield break;
    }

    public Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
