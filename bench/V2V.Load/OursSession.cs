using V2V.Realtime.Client;
using V2V.Realtime.Diagnostics;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.Load;

/// <summary>Our bridge: a <see cref="VoiceSession"/> (resampling, chunking, paced output, barge-in) per user.</summary>
internal sealed class OursSession : ILoadSession
{
    private readonly VoiceSession _session;
    private readonly TurnScript _script;
    private readonly LoadStats _stats;
    private readonly Task _reader;
    private long _index;
    private Task? _pending;

    private OursSession(VoiceSession session, TurnScript script, LoadStats stats, Action<VoiceSessionOutput>? onOutput)
    {
        _session = session;
        _onOutput = onOutput;
        _script = script;
        _stats = stats;
        _reader = Task.Run(ReadAsync);
    }

    public RealtimeClientOptions Connection { get; private init; } = null!;

    /// <summary>
    /// Turns ended by the harness, as a push-to-talk app ends them (<see cref="TurnMode.Manual"/>): at the first frame of
    /// each talk spurt <see cref="VoiceSession.InterruptAsync"/> (the press; nothing to cut when the agent is quiet), after
    /// its last frame <see cref="VoiceSession.EndTurnAsync"/> (the release); only the spurts are sent. It hears each press
    /// (true) and release.
    /// </summary>
    public Action<bool>? PushToTalk { get; set; }

    /// <summary>The session itself, for harnesses that feed it directly.</summary>
    public VoiceSession Voice => _session;

    public static async Task<OursSession> StartAsync(Uri baseUri, TurnScript script, LoadStats stats, Action<VoiceSessionOptions>? configure = null, Action<VoiceSessionOutput>? onOutput = null, CancellationToken ct = default)
    {
        var connection = new RealtimeClientOptions { BaseUri = baseUri, Model = "gpt-realtime" };
        var options = new VoiceSessionOptions { Connection = connection, OutputSampleRate = 24000 };
        configure?.Invoke(options);
        var session = await VoiceSession.StartAsync(options, cancellationToken: ct).ConfigureAwait(false);
        return new OursSession(session, script, stats, onOutput) { Connection = connection };
    }

    private readonly Action<VoiceSessionOutput>? _onOutput;

    public void Tick(long due)
    {
        if (_pending is { IsCompleted: false })
        {
            Interlocked.Increment(ref _stats.InputStalls);
            return;
        }
        var index = _index++;
        if (PushToTalk is not null && !TurnScript.IsSpeech(index))
        {
            return; // the button is up: nothing is sent
        }
        var frame = _script.Frame(index);
        RealtimeProbe.MarkFrameIn(due);
        try
        {
            if (PushToTalk is { } pressed && TurnScript.IsStartOfSpeech(index))
            {
                pressed(true);
                _ = ObserveAsync(_session.InterruptAsync());
            }
            var send = _session.SendAudioAsync(frame, SpeechSignal.SampleRate);
            _pending = send.IsCompletedSuccessfully ? null : send.AsTask();
            if (PushToTalk is { } released && TurnScript.IsEndOfSpeech(index))
            {
                released(false);
                _pending = EndTurnAfterAsync(_pending);
            }
            Interlocked.Increment(ref _stats.FramesIn);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // The release comes after the spurt's last frame is sent: the producer's calls are one at a time.
    private async Task EndTurnAfterAsync(Task? send)
    {
        if (send is not null)
        {
            await send.ConfigureAwait(false);
        }
        await _session.EndTurnAsync().ConfigureAwait(false);
    }

    private async Task ObserveAsync(Task press)
    {
        try
        {
            await press.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            _stats.CountError("InterruptAsync: " + ex.Message);
        }
    }

    public void Release(long now)
    {
    }

    private async Task ReadAsync()
    {
        await foreach (var output in _session.ReadOutputsAsync().ConfigureAwait(false))
        {
            if (output.IsAudio)
            {
                Interlocked.Increment(ref _stats.FramesOut);
            }
            switch (output.Event)
            {
                case FlushOutput:
                    Interlocked.Increment(ref _stats.Flushes);
                    break;
                case TranscriptOutput { Role: TranscriptRole.Assistant, IsFinal: true } t:
                    Interlocked.Increment(ref t.Interrupted ? ref _stats.AssistantInterrupted : ref _stats.AssistantFinals);
                    break;
                case ErrorOutput error:
                    _stats.CountError(error.Code ?? error.Message);
                    break;
                case StateOutput { State: VoiceSessionState.Connected }:
                    Interlocked.Increment(ref _stats.Connects);
                    break;
            }
            _onOutput?.Invoke(output);
            output.Audio.Dispose(); // the reader owns the frame: its buffer goes back for a later one (no-op for an event)
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_pending is not null)
        {
            await _pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await _session.DisposeAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
