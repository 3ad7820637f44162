using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ClientEvents;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    // Sends of appends that could not complete at once (the socket queue was full); awaited before the producer returns.
    private readonly List<Task> _pendingSends = [];
    private long _samplesSinceCommit;

    /// <summary>Ms of input the server has been sent (its buffer clock), for mapping speech_stopped to wall time.</summary>
    private double InputMs => _input.SamplesIn / 24.0;

    /// <summary>One 24 kHz chunk of the user's audio to the server, or to the reconnect buffer.</summary>
    private void SendChunk(ReadOnlyMemory<short> chunk)
    {
        _dump?.WriteInput(chunk.Span);
        _samplesSinceCommit += chunk.Length;
        var client = _connection.Live;
        if (client is null || !client.IsOpen)
        {
            if (_connection.Slot.TryBuffer(chunk.Span))
            {
                return;
            }
            client = _connection.Live!;
        }
        try
        {
            // The bytes are copied into a pooled message before this returns, so the chunk can be reused.
            var send = client.SendAudioAsync(chunk.Span, _lifetime.Token);
            if (!send.IsCompletedSuccessfully)
            {
                _pendingSends.Add(send.AsTask());
            }
        }
        catch (RealtimeException)
        {
            _connection.Slot.TryBuffer(chunk.Span);
        }
    }

    private async ValueTask DrainPendingSendsAsync()
    {
        if (_pendingSends.Count == 0)
        {
            return;
        }
        try
        {
            await Task.WhenAll(_pendingSends).ConfigureAwait(false);
        }
        catch (RealtimeException)
        {
            // The connection broke under the send: the reader reconnects; this audio is lost and counted there.
        }
        finally
        {
            _pendingSends.Clear();
        }
    }

    /// <summary>Ends a turn from this side (manual turns, local VAD): commit what was sent, ask for a response.</summary>
    private async ValueTask<bool> CommitTurnAsync(CancellationToken ct)
    {
        _input.FlushPartial(SendChunk);
        await DrainPendingSendsAsync().ConfigureAwait(false);
        // The server refuses to commit less than 100 ms of audio.
        if (_samplesSinceCommit < 2400)
        {
            return false;
        }
        _samplesSinceCommit = 0;
        var client = _connection.Live;
        if (client is null || !client.IsOpen)
        {
            return false;
        }
        var endOfSpeech = System.Diagnostics.Stopwatch.GetTimestamp();
        await client.SendAsync(new InputAudioBufferCommitEvent(), ct).ConfigureAwait(false);
        await PostAsync(innerCt => StartAnswerAfterTurnAsync(endOfSpeech, innerCt), "turn ended").ConfigureAwait(false);
        return true;
    }
}
