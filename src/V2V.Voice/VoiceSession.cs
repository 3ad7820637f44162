using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using V2V.Audio;
using V2V.Frames;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Voice.Connection;
using V2V.Voice.Conversation;
using V2V.Voice.Diagnostics;
using V2V.Voice.Input;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Tools;
using V2V.Voice.Transcripts;
using V2V.Voice.Turns;

namespace V2V.Voice;

/// <summary>
/// A realtime voice agent as a plain C# API: send the user's audio frames (any rate, mono or stereo), read
/// the agent's voice, transcripts, flushes (barge-in) and state as one ordered stream of outputs.
/// One actor per session: server events and control actions are handled one at a time by a single loop;
/// input audio goes straight from the (single) producer to the socket; the agent's voice is paced by the
/// process-wide <see cref="AudioPacer"/>.
/// </summary>
public sealed partial class VoiceSession : IAsyncDisposable
{
    private readonly VoiceSessionOptions _options;
    private readonly ToolInvoker? _toolInvoker;
    private readonly ILogger _logger;
    private readonly Channel<VoiceSessionOutput> _outputs;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly InputAudioPath _input;
    private readonly OutputFrameCutter _cutter;
    private readonly PlayoutQueue? _playout;
    private readonly AudioDump? _dump;
    private readonly List<VoiceTool> _tools = [];
    private readonly TurnTracker _turns = new();
    private readonly TranscriptAssembler _transcript = new();
    private readonly ConversationHistory _history;
    private readonly List<PcmFrame> _frameScratch = [];
    private readonly ConnectionSupervisor _connection;
    private readonly Configuration.ClientEventIds _eventIds = new();
    private readonly Configuration.ConfigureAnswer _configureAnswer = new();
    private int _configurationConfirmed;
    private Task _actor = Task.CompletedTask;
    private int _producing;
    private int _stopped;
    private int _disposed;

    private VoiceSession(VoiceSessionOptions options, RealtimeClient client, ToolInvoker? toolInvoker)
    {
        _options = options;
        _toolInvoker = toolInvoker;
        _logger = options.LoggerFactory?.CreateLogger<VoiceSession>() ?? (ILogger)NullLogger.Instance;
        _connection = new ConnectionSupervisor(RealtimeConnectors.For(client), options, this, _logger);
        // Other outputs wait for the reader (back-pressure on the server events); paced audio that finds
        // the channel full is dropped and counted by the playout queue.
        _outputs = Channel.CreateBounded<VoiceSessionOutput>(new BoundedChannelOptions(options.OutputCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _input = new InputAudioPath(
            options.InputChunkMs,
            // Only the server's turn detection needs the end of a turn sent at once; our own commits flush what is gathered.
            options.TurnMode is TurnMode.ServerVad or TurnMode.SemanticVad ? options.InputQuietDbfs : InputAudioPath.MinQuietDbfs,
            options.TurnMode == TurnMode.ServerVad ? options.VadSilenceDurationMs : null,
            options.TurnMode == TurnMode.LocalVad ? LocalVad.CreateDetector(options.VadSilenceDurationMs) : null);
        _cutter = new OutputFrameCutter(options.OutputSampleRate, options.OutputFrameDuration);
        if (options.PaceOutput)
        {
            _playout = new PlayoutQueue(_outputs.Writer, options.OutputFrameDuration, options.MaxQueuedOutput);
        }
        _history = new ConversationHistory(options.MaxHistory);
        if (options.Dump)
        {
            _dump = AudioDump.Create(options.DumpFolder, options.DumpName, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>The state of the connection.</summary>
    public VoiceSessionState State { get; private set; } = VoiceSessionState.Connecting;

    /// <summary>The dump files, when <see cref="VoiceSessionOptions.Dump"/> is on.</summary>
    public (string Input, string Output)? DumpFiles => _dump is null ? null : (_dump.InputPath, _dump.OutputPath);

    /// <summary>
    /// Connects, configures the session, and starts it. Throws what building a <see cref="RealtimeClient"/> and its
    /// <see cref="RealtimeClient.ConnectAsync"/> throw (configuration, authentication, handshake; a refusal for now, HTTP 429 or 5xx, after
    /// <see cref="VoiceSessionOptions.FirstConnectRetries"/> more tries), <see cref="ArgumentException"/> for bad options,
    /// <see cref="VoiceSessionConfigurationException"/> when the service refuses the session's configuration (naming the
    /// parameter), or <see cref="TimeoutException"/> when it does not answer it within the connect timeout.
    /// </summary>
    public static async Task<VoiceSession> StartAsync(VoiceSessionOptions options, ToolInvoker? toolInvoker = null, IEnumerable<VoiceTool>? tools = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // The client is built (its options checked) before the session holds anything that would need disposing.
        var client = options.Client ?? new RealtimeClient(options.Connection);
        var session = new VoiceSession(options, client, toolInvoker);
        session._tools.AddRange(tools ?? []);
        try
        {
            await session._connection.StartAsync(cancellationToken).ConfigureAwait(false);
            await session.WaitForConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (options.TranscriptionOffReason is { } transcriptionOff)
        {
            // Said once, first: the extension and the CLI turn transcription on by default, and on Azure it needs a deployment.
            session._logger.LogWarning("{Reason}", transcriptionOff);
            session._outputs.Writer.TryWrite(new ErrorOutput(transcriptionOff, "transcription_model_missing", Fatal: false));
        }
        if (session._playout is not null)
        {
            AudioPacer.Shared.Add(session._playout);
        }
        session._actor = Task.Run(session.RunActorAsync);
        return session;
    }

    /// <summary>The outputs, in order, until the session stops. One reader.</summary>
    public IAsyncEnumerable<VoiceSessionOutput> ReadOutputsAsync(CancellationToken cancellationToken = default) =>
        _outputs.Reader.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Sends a frame of the user's audio: pcm16 little-endian, interleaved, 8 to 48 kHz, 1 to 8 channels.
    /// One producer at a time. A bad frame throws <see cref="ArgumentException"/> naming what is wrong; the
    /// session goes on. While reconnecting, the last seconds of audio are kept and sent after.
    /// </summary>
    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm16, int sampleRate, int channels = 1, CancellationToken cancellationToken = default)
    {
        InputAudioPath.Validate(pcm16.Length, sampleRate, channels);
        ThrowIfStopped();
        if (pcm16.IsEmpty)
        {
            return;
        }
        EnterProducer();
        try
        {
            _input.Push(pcm16.Span, sampleRate, channels, SendChunk);
            await DrainPendingSendsAsync().ConfigureAwait(false);
            foreach (var vadEvent in _input.VadEvents)
            {
                var boundary = new UserSpeechOutput(vadEvent.Kind == VoiceActivityEventKind.SpeechStarted, vadEvent.Position.TotalMilliseconds);
                await PostAsync(ct => EmitAsync(boundary, ct), "local VAD boundary").ConfigureAwait(false);
                if (vadEvent.Kind == VoiceActivityEventKind.SpeechStarted)
                {
                    await PostAsync(BargeInAsync, "local VAD heard speech").ConfigureAwait(false);
                }
                else
                {
                    await CommitTurnAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _producing, 0);
        }
    }

    /// <summary>Ends the user's turn (manual turns): commits the input and asks for a response. False when too little audio was sent to commit.</summary>
    public async ValueTask<bool> EndTurnAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfStopped();
        EnterProducer();
        try
        {
            return await CommitTurnAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _producing, 0);
        }
    }

    /// <summary>Sends a text from the user (as a user message) and asks for a response; an answer in progress is interrupted.</summary>
    public Task SendTextAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return PostAndWaitAsync(ct => SendUserTextAsync(text, ct), cancellationToken);
    }

    /// <summary>Interrupts the agent as a barge-in does (flush, cancel, truncate at the played position).</summary>
    public Task InterruptAsync(CancellationToken cancellationToken = default) =>
        PostAndWaitAsync(ct => BargeInAsync("interrupted by the caller", ct), cancellationToken);

    /// <summary>Adds (or replaces, by name) a tool; a connected session is updated at once.</summary>
    public Task RegisterToolAsync(VoiceTool tool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentException.ThrowIfNullOrWhiteSpace(tool.Name, nameof(tool));
        return PostAndWaitAsync(ct => AddToolAsync(tool, ct), cancellationToken);
    }

    /// <summary>A user joined: the greeting is spoken (once per user) when one is configured.</summary>
    public Task UserJoinedAsync(CancellationToken cancellationToken = default) => PostAndWaitAsync(GreetAsync, cancellationToken);

    /// <summary>The user left: any answer is interrupted and the input buffer cleared; the next user is greeted again.</summary>
    public Task UserLeftAsync(CancellationToken cancellationToken = default) => PostAndWaitAsync(ForgetUserAsync, cancellationToken);

    /// <summary>Stops: cancels in-flight work and closes the connection cleanly.</summary>
    public async ValueTask DisposeAsync()
    {
        // A failed session has stopped taking work; its resources are released here all the same.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        Volatile.Write(ref _stopped, 1);
        if (_playout is not null)
        {
            AudioPacer.Shared.Remove(_playout);
        }
        _mailbox.Complete();
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _actor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _connection.DisposeAsync().ConfigureAwait(false);
        State = VoiceSessionState.Stopped;
        _outputs.Writer.TryWrite(new StateOutput(VoiceSessionState.Stopped, null));
        _outputs.Writer.TryComplete();
        _input.Dispose();
        _dump?.Dispose();
        _lifetime.Dispose();
    }

    private void ThrowIfStopped()
    {
        if (Volatile.Read(ref _stopped) == 1)
        {
            throw new ObjectDisposedException(nameof(VoiceSession), "The voice session has stopped.");
        }
    }

    private void EnterProducer()
    {
        if (Interlocked.Exchange(ref _producing, 1) == 1)
        {
            throw new InvalidOperationException("Audio and turn ends must come from one producer at a time; another call is in progress.");
        }
    }
}
