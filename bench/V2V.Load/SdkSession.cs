using System.ClientModel;
using System.Collections.Concurrent;
using System.Diagnostics;
using OpenAI.Realtime;
using V2V.Audio;

namespace V2V.Load;

/// <summary>
/// The same bridge built on the official OpenAI .NET library (<c>OpenAI.Realtime</c>): our resampler for the
/// input (the SDK has none), chunks of ours' default size through <c>SendInputAudioAsync</c>, updates read from
/// <c>ReceiveUpdatesAsync</c>, audio deltas cut into 10 ms frames and paced by the harness's clock, barge-in as
/// cancel + truncate. What a careful user of the SDK writes, kept minimal.
/// </summary>
internal sealed class SdkSession : ILoadSession
{
    // The same chunk as ours by default, so both bridges send the same number of appends.
    private static readonly int ChunkSamples = 24 * new V2V.Voice.VoiceSessionOptions().InputChunkMs;
    private const int FrameBytes = 480;   // 10 ms at 24 kHz
    private static readonly long FrameTicks = Stopwatch.Frequency / 100;

    private readonly RealtimeSessionClient _session;
    private readonly TurnScript _script;
    private readonly LoadStats _stats;
    private readonly AudioResampler _resampler = new(SpeechSignal.SampleRate, 24000);
    private readonly short[] _resampled = new short[480];
    private readonly short[] _chunk = new short[ChunkSamples];
    private readonly ConcurrentQueue<long> _chunkOrigins = new();
    private readonly ConcurrentQueue<(byte[] Frame, string ItemId)> _playout = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly Task _consumer;
    // The frames go to the application through a channel read by a task, as VoiceSession.ReadOutputsAsync does.
    private readonly System.Threading.Channels.Channel<byte[]> _outputs = System.Threading.Channels.Channel.CreateBounded<byte[]>(
        new System.Threading.Channels.BoundedChannelOptions(1024) { SingleReader = true, FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
    private int _chunkFill;
    private long _index;
    private long _lastReceived;
    private long _nextDue;
    private string? _responseId;
    private string? _playingItem;
    private long _playedFrames;
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
        var origin = due;
        var frame = _script.Frame(_index++);
        var count = _resampler.Process(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(frame.Span), _resampled);
        Interlocked.Increment(ref _stats.FramesIn);
        var samples = _resampled.AsSpan(0, count);
        while (!samples.IsEmpty)
        {
            var take = Math.Min(samples.Length, ChunkSamples - _chunkFill);
            samples[..take].CopyTo(_chunk.AsSpan(_chunkFill));
            _chunkFill += take;
            samples = samples[take..];
            if (_chunkFill == ChunkSamples)
            {
                _chunkFill = 0;
                var bytes = new byte[ChunkSamples * 2];
                Buffer.BlockCopy(_chunk, 0, bytes, 0, bytes.Length);
                _chunkOrigins.Enqueue(origin);
                Interlocked.Increment(ref _sending);
                _session.SendInputAudioAsync(BinaryData.FromBytes(bytes), _stop.Token)
                    .ContinueWith(static (task, state) => ((SdkSession)state!).OnSent(task), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
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
                Interlocked.Exchange(ref _playedFrames, 0);
            }
            Interlocked.Increment(ref _playedFrames);
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
                        // Barge-in: stop playing, cancel the answer, truncate it where the listener stopped hearing it.
                        _playout.Clear();
                        Interlocked.Increment(ref _stats.Flushes);
                        if (_responseId is not null)
                        {
                            _responseId = null;
                            await _session.CancelResponseAsync(_stop.Token).ConfigureAwait(false);
                        }
                        if (_playingItem is { } item)
                        {
                            await _session.TruncateItemAsync(item, 0, TimeSpan.FromMilliseconds(10 * Interlocked.Read(ref _playedFrames)), _stop.Token).ConfigureAwait(false);
                            _playingItem = null;
                        }
                        break;
                    case RealtimeServerUpdateResponseOutputAudioTranscriptDone:
                        Interlocked.Increment(ref _stats.AssistantFinals);
                        break;
                    case RealtimeServerUpdateResponseDone:
                        _responseId = null;
                        break;
                    case RealtimeServerUpdateError:
                        Interlocked.Increment(ref _stats.Errors);
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
