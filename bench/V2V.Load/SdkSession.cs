using System.ClientModel;
using System.Collections.Concurrent;
using System.Diagnostics;
using OpenAI.Realtime;

namespace V2V.Load;

/// <summary>
/// The same bridge built on the official OpenAI .NET library (<c>OpenAI.Realtime</c>): our resampler for the
/// input (the SDK has none), chunks of ours' default size through <c>SendInputAudioAsync</c>, updates read from
/// <c>ReceiveUpdatesAsync</c>, audio deltas cut into 10 ms frames and paced by the harness's clock, barge-in as
/// cancel + truncate. What a careful user of the SDK writes, kept minimal.
/// </summary>
internal sealed class SdkSession : ILoadSession
{
    private const int FrameBytes = 480;   // 10 ms at 24 kHz
    private static readonly long FrameTicks = Stopwatch.Frequency / 100;

    private readonly RealtimeSessionClient _session;
    private readonly TurnScript _script;
    private readonly LoadStats _stats;
    private readonly InputChunker _input = new();
    private readonly ConcurrentQueue<long> _chunkOrigins = new();
    private readonly ConcurrentQueue<(byte[] Frame, string ItemId)> _playout = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly Task _consumer;
    // The frames go to the application through a channel read by a task, as VoiceSession.ReadOutputsAsync does.
    private readonly System.Threading.Channels.Channel<byte[]> _outputs = System.Threading.Channels.Channel.CreateBounded<byte[]>(
        new System.Threading.Channels.BoundedChannelOptions(1024) { SingleReader = true, FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
    private long _index;
    private long _lastReceived;
    private long _nextDue;
    private string? _responseId;
    private string? _playingItem;
    private long _playedBytes;
    private int _sending;

    private SdkSession(RealtimeClient client, RealtimeSessionClient session, TurnScript script, LoadStats stats)
    {
        _session = session;
        _script = script;
        _stats = stats;
        client.OnReceivingCommand += (_, _) => Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
        _reader = Task.Run(ReadAsync);
        _consumer = Task.Run(ConsumeAsync);
    }

    private async Task ConsumeAsync()
    {
        await foreach (var _ in _outputs.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Interlocked.Increment(ref _stats.FramesOut);
        }
    }

    public static async Task<SdkSession> StartAsync(Uri realtimeUri, TurnScript script, LoadStats stats, CancellationToken ct = default)
    {
        var client = new RealtimeClient(new ApiKeyCredential("local"), new RealtimeClientOptions { Endpoint = new Uri(realtimeUri, "/v1") });
        var session = await client.StartConversationSessionAsync("gpt-realtime", cancellationToken: ct).ConfigureAwait(false);
        Interlocked.Increment(ref stats.Connects);
        return new SdkSession(client, session, script, stats);
    }

    public void Tick(long due)
    {
        if (Volatile.Read(ref _sending) > 2)
        {
            Interlocked.Increment(ref _stats.InputStalls);
            return;
        }
        var frame = _script.Frame(_index++);
        Interlocked.Increment(ref _stats.FramesIn);
        _input.Add(frame.Span, (Session: this, Origin: due), static (s, chunk) => s.Session.Send(chunk, s.Origin));
    }

    private void Send(short[] chunk, long origin)
    {
        var bytes = new byte[chunk.Length * 2];
        Buffer.BlockCopy(chunk, 0, bytes, 0, bytes.Length);
        _chunkOrigins.Enqueue(origin);
        Interlocked.Increment(ref _sending);
        _session.SendInputAudioAsync(BinaryData.FromBytes(bytes), _stop.Token)
            .ContinueWith(static (task, state) => ((SdkSession)state!).OnSent(task), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnSent(Task task)
    {
        Interlocked.Decrement(ref _sending);
        if (_chunkOrigins.TryDequeue(out var origin) && task.IsCompletedSuccessfully)
        {
            _stats.InputLatency.RecordTicks(Stopwatch.GetTimestamp() - origin);
        }
    }

    public void Release(long now)
    {
        if (_playout.IsEmpty)
        {
            _nextDue = Math.Max(_nextDue, now);
            return;
        }
        while (_nextDue <= now && _playout.TryDequeue(out var frame))
        {
            _nextDue += FrameTicks;
            if (_playingItem != frame.ItemId)
            {
                _playingItem = frame.ItemId;
                Interlocked.Exchange(ref _playedBytes, 0);
            }
            Interlocked.Add(ref _playedBytes, frame.Frame.Length);
            _outputs.Writer.TryWrite(frame.Frame);
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var update in _session.ReceiveUpdatesAsync(_stop.Token).ConfigureAwait(false))
            {
                switch (update)
                {
                    case RealtimeServerUpdateResponseCreated created:
                        _responseId = created.Response?.Id;
                        break;
                    case RealtimeServerUpdateResponseOutputAudioDelta delta when delta.ResponseId == _responseId:
                        var received = Volatile.Read(ref _lastReceived);
                        var audio = delta.Delta.ToMemory();
                        for (int at = 0; at < audio.Length; at += FrameBytes)
                        {
                            var frame = audio.Slice(at, Math.Min(FrameBytes, audio.Length - at)).ToArray();
                            _playout.Enqueue((frame, delta.ItemId));
                        }
                        _stats.OutputLatency.RecordTicks(Stopwatch.GetTimestamp() - received);
                        break;
                    case RealtimeServerUpdateInputAudioBufferSpeechStarted:
                        // Barge-in: stop playing, cancel the answer, truncate it where the listener stopped hearing it
                        // (only an answer still playing: one heard to its end keeps all its audio; a truncate at or past
                        // the end is refused with invalid_value, one per turn until 2026-12-02).
                        var wasPlaying = !_playout.IsEmpty;
                        _playout.Clear();
                        Interlocked.Increment(ref _stats.Flushes);
                        if (_responseId is not null)
                        {
                            _responseId = null;
                            await _session.CancelResponseAsync(_stop.Token).ConfigureAwait(false);
                        }
                        if (_playingItem is { } item && wasPlaying)
                        {
                            // Bytes, not frames: an item's last frame may be short, and 10 ms per frame would pass its end.
                            await _session.TruncateItemAsync(item, 0, TimeSpan.FromMilliseconds(Interlocked.Read(ref _playedBytes) / 48), _stop.Token).ConfigureAwait(false);
                        }
                        _playingItem = null;
                        break;
                    case RealtimeServerUpdateResponseOutputAudioTranscriptDone:
                        Interlocked.Increment(ref _stats.AssistantFinals);
                        break;
                    case RealtimeServerUpdateResponseDone:
                        _responseId = null;
                        break;
                    case RealtimeServerUpdateError { Error.Code: "response_cancel_not_active" }:
                        // The server cancels an answer itself when the user starts speaking (interrupt_response), so
                        // the bridge's own cancel can arrive after it: a harmless race, ignored as VoiceSession does.
                        break;
                    case RealtimeServerUpdateError error:
                        _stats.CountError(error.Error?.Code ?? error.Error?.Message ?? "unknown");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _outputs.Writer.TryComplete();
        await _consumer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _session.Dispose();
        _stop.Dispose();
    }
}
