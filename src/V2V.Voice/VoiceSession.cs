using System.Threading.Channels;
using AIFunction = Microsoft.Extensions.AI.AIFunction;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol.Models;
using V2V.Voice.Actor;
using V2V.Voice.Configuration;
using V2V.Voice.Connection;
using V2V.Voice.Conversation;
using V2V.Voice.Diagnostics;
using V2V.Voice.Input;
using V2V.Voice.Outputs;
using V2V.Voice.Playback;
using V2V.Voice.Session;
using V2V.Voice.Tools;
using V2V.Voice.Transcripts;
using V2V.Voice.Turns;

namespace V2V.Voice;

/// <summary>
/// A realtime voice agent as a plain C# API: send the user's audio frames (any rate, mono or stereo), read
/// the agent's voice, transcripts, flushes (barge-in) and state as one ordered stream of outputs.
/// One actor per session: server events and control actions are handled one at a time by a single loop;
/// input audio goes straight from the (single) producer to the socket; the agent's voice is paced by the
/// process-wide <see cref="Playback.AudioPacer"/>.
/// </summary>
public sealed class VoiceSession : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly Channel<VoiceSessionOutput> _outputs;
    private readonly TransportHandoff _handoff;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly AudioDump? _dump;
    private readonly SessionInbox _inbox;
    private readonly SessionStatus _status;
    private readonly ConversationHistory _history;
    private readonly AgentVoice _voice;
    private readonly SpokenTranscript _transcript;
    private readonly BargeIn _bargeIn;
    private readonly ToolCoordinator _tools;
    private readonly McpActivity _mcp;
    private readonly ConversationFlow _conversation;
    private readonly SessionConfigurator _configurator;
    private readonly InputStage _input;
    private readonly SessionActor _actor;
    private readonly ConnectionSupervisor _connection;
    private readonly ServerLink _link;
    private readonly V2V.Realtime.Protocol.RealtimeDialect _dialect;
    private int _disposed;

    // The composition: each stage gets what it works with in its constructor and owns its own state.
    private VoiceSession(VoiceSessionOptions options, RealtimeClient client)
    {
        _logger = options.LoggerFactory?.CreateLogger<VoiceSession>() ?? (ILogger)NullLogger.Instance;
        // Other outputs wait for the reader (back-pressure on the server events); paced audio that finds
        // the channel full is dropped and counted by the playout queue.
        _outputs = Channel.CreateBounded<VoiceSessionOutput>(new BoundedChannelOptions(options.OutputCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _dump = options.Dump ? AudioDump.Create(options.DumpFolder, options.DumpName, DateTimeOffset.UtcNow) : null;
        var link = _link = new ServerLink(_logger);
        _dialect = options.Connection.Dialect;
        var metrics = VoiceMetrics.For(options);
        _handoff = new TransportHandoff(_outputs.Reader, metrics, options.TransportReportsPlayed);
        var context = new SessionContext(options, _logger, metrics, _outputs.Writer, link.SendAsync, _lifetime.Token);
        _inbox = new SessionInbox(_logger, _lifetime.Token);
        _status = new SessionStatus(context, _inbox, link);
        _configurator = new SessionConfigurator(options, link);
        var turns = new TurnTracker();
        var toldSpeech = new ToldUserSpeech();
        var firstAudio = new FirstAudioTimer();
        _history = new ConversationHistory(options.MaxHistory);
        var responses = new ResponseCoordinator(context, turns, _inbox, link);
        var answers = new AnswerProgress(link, toldSpeech, responses);
        _voice = new AgentVoice(context, turns, firstAudio, _dump, _handoff, answers);
        _transcript = new SpokenTranscript(context, _voice, _history, turns.WholeMs);
        var continuation = new AnswerContinuation(context, link, _inbox, responses);
        Func<string?> sessionInstructions = () => _configurator.CurrentInstructions(_tools!.Tools);
        var idle = new UserIdleWatch(context, _inbox, _voice, turns, responses, () => _input!.InputMs, () => _tools!.HasCallsOut, sessionInstructions);
        _bargeIn = new BargeIn(context, turns, _voice, _transcript, firstAudio, answers, responses, continuation, idle);
        _tools = new ToolCoordinator(context, _history, turns, responses, _inbox);
        var uncommitted = new UncommittedInput();
        _conversation = new ConversationFlow(context, link, _history, turns, responses, _tools, _bargeIn, firstAudio, continuation, uncommitted, sessionInstructions);
        _input = new InputStage(context, link, _inbox, _conversation, uncommitted, _dump);
        _mcp = new McpActivity(context, _history, responses);
        var router = new ServerEventRouter(context, _status, _configurator, turns, responses, _voice, _transcript, _bargeIn, _tools, _history, _input, toldSpeech, answers, firstAudio, _mcp, idle);
        _actor = new SessionActor(context, _inbox, link, router, _transcript.CatchUpAsync);
        var renewal = new ConnectionRenewal(context, link, _inbox, turns, _tools, _bargeIn, _conversation, responses, answers);
        var owner = new SessionConnection(context, _inbox, _actor, _status, _configurator, turns, _tools, _transcript, _conversation, _bargeIn, renewal, toldSpeech, firstAudio, responses, continuation, _mcp);
        _connection = new ConnectionSupervisor(RealtimeConnectors.For(client), options, owner, _logger, metrics);
        link.Attach(_connection);
    }

    /// <summary>The state of the connection.</summary>
    public VoiceSessionState State => _status.State;

    /// <summary>The dump files, when <see cref="VoiceSessionOptions.Dump"/> is on.</summary>
    public (string Input, string Output)? DumpFiles => _dump is null ? null : (_dump.InputPath, _dump.OutputPath);

    /// <summary>
    /// Connects, configures the session, and starts it. Throws what building a <see cref="RealtimeClient"/> and its
    /// <see cref="RealtimeClient.ConnectAsync"/> throw (configuration, authentication, handshake; a refusal for now, HTTP 429 or 5xx, after
    /// <see cref="VoiceSessionOptions.FirstConnectRetries"/> more tries), <see cref="ArgumentException"/> for bad options,
    /// <see cref="VoiceSessionConfigurationException"/> when the service refuses the session's configuration (naming the
    /// parameter), or <see cref="TimeoutException"/> when it does not answer it within the connect timeout.
    /// </summary>
    public static async Task<VoiceSession> StartAsync(VoiceSessionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // The client is built (its options checked) before the session holds anything that would need disposing.
        // Its connection logs where the session does, unless the connection was given logging of its own.
        var client = options.Client ?? new RealtimeClient(options.Connection, options.LoggerFactory);
        var session = new VoiceSession(options, client);
        try
        {
            await session._connection.StartAsync(cancellationToken).ConfigureAwait(false);
            await session._configurator.WaitForAnswerAsync(cancellationToken).ConfigureAwait(false);
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
        session._voice.Pace(on: true);
        session._actor.Start();
        return session;
    }

    /// <summary>
    /// The outputs, in order, until the session stops. One reader: the transport. The agent's voice counts as played
    /// when it is taken from here (what a barge-in truncates at), so a reader behind holds the position back.
    /// </summary>
    public IAsyncEnumerable<VoiceSessionOutput> ReadOutputsAsync(CancellationToken cancellationToken = default) =>
        _handoff.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Sends a frame of the user's audio: pcm16 little-endian, interleaved, 8 to 48 kHz, 1 to 8 channels.
    /// One producer at a time. A bad frame throws <see cref="ArgumentException"/> naming what is wrong; the
    /// session goes on. While reconnecting, the last seconds of audio are kept and sent after.
    /// </summary>
    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm16, int sampleRate, int channels = 1, CancellationToken cancellationToken = default)
    {
        // Not an async method: called for every frame, and nearly every frame is sent before this returns.
        try
        {
            InputAudioPath.Validate(pcm16.Length, sampleRate, channels);
            _inbox.ThrowIfStopped();
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
        return pcm16.IsEmpty ? ValueTask.CompletedTask : _input.SendAsync(pcm16, sampleRate, channels, cancellationToken);
    }

    /// <summary>
    /// Ends the user's turn (manual turns): commits the input and asks for a response; while the connection is down, on the
    /// next one, which is sent the turn's audio. False when too little audio is uncommitted: under 100 ms since the last
    /// commit, or audio that went with the commit of the turn before it (a turn ended while disconnected is committed once
    /// the next connection is live, with all the user said meanwhile).
    /// </summary>
    public async ValueTask<bool> EndTurnAsync(CancellationToken cancellationToken = default)
    {
        _inbox.ThrowIfStopped();
        return await _input.EndTurnAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a text from the user (as a user message) and asks for a response; an answer in progress is interrupted.</summary>
    public Task SendTextAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return _inbox.PostAndWaitAsync(ct => _conversation.SendUserTextAsync(text, ct), cancellationToken);
    }

    /// <summary>
    /// Shows the agent an image (GA only): a PNG or JPEG of at most 10 MiB, with <paramref name="text"/> as the user's words
    /// when given. It joins the conversation and the model sees it with what the user says next; with
    /// <paramref name="askForAnswer"/> it is answered at once (an answer in progress is interrupted, as by a text). A new
    /// connection is given the last two images shown (older ones as a note). Throws <see cref="ArgumentException"/> for
    /// an image the service would refuse, naming why, and <see cref="NotSupportedException"/> on the beta protocol.
    /// </summary>
    public Task SendImageAsync(ReadOnlyMemory<byte> image, ImageDetail detail = ImageDetail.Auto, string? text = null, bool askForAnswer = false, CancellationToken cancellationToken = default)
    {
        if (_dialect == V2V.Realtime.Protocol.RealtimeDialect.Beta)
        {
            throw new NotSupportedException("Images need the GA protocol: the beta protocol (Azure's preview endpoint) has no input_image. Connect to a GA endpoint.");
        }
        var message = UserImage.Message(image.Span, detail, text);
        return _inbox.PostAndWaitAsync(ct => _conversation.SendUserImageAsync(message, askForAnswer, ct), cancellationToken);
    }

    /// <summary>
    /// The transport played the agent's audio of <paramref name="itemId"/> up to <paramref name="endMs"/> into it (the
    /// <see cref="V2V.Frames.PcmFrame.ItemEndMs"/> of the last frame played). Only with
    /// <see cref="VoiceSessionOptions.TransportReportsPlayed"/>; otherwise ignored. A barge-in truncates at the last report.
    /// Any thread; no allocation unless the item is new.
    /// </summary>
    public void ReportPlayed(string itemId, double endMs)
    {
        ArgumentException.ThrowIfNullOrEmpty(itemId);
        ArgumentOutOfRangeException.ThrowIfNegative(endMs);
        _handoff.ReportPlayed(itemId, endMs);
    }

    /// <summary>Interrupts the agent as a barge-in does (flush, cancel, truncate at the played position).</summary>
    public Task InterruptAsync(CancellationToken cancellationToken = default) =>
        _inbox.PostAndWaitAsync(ct => _bargeIn.RunAsync("interrupted by the caller", ct), cancellationToken);

    /// <summary>
    /// Adds (or replaces, by name) a tool after the start, as <see cref="VoiceSessionOptions.Tools"/> gives them before
    /// it; a connected session is updated at once. Its calls run as those of the options do: with
    /// <see cref="VoiceSessionOptions.ToolTimeout"/>, a failure or timeout becoming an error output.
    /// </summary>
    public Task RegisterToolAsync(AIFunction tool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentException.ThrowIfNullOrWhiteSpace(tool.Name, nameof(tool));
        return _inbox.PostAndWaitAsync(ct => _tools.AddAsync(tool, _configurator, ct), cancellationToken);
    }

    /// <summary>
    /// Gives the agent new instructions (a hand-off to another role, a new task): the service answers with them from its
    /// next answer on (one being spoken keeps its own), and every later connection (a reconnect, a renewal) is configured
    /// with them. <c>{language}</c>, <c>{model}</c> and <c>{tools}</c> are replaced as in
    /// <see cref="VoiceSessionOptions.Instructions"/>, and the previous conversation given at the start still follows.
    /// Tools are added with <see cref="RegisterToolAsync"/>.
    /// </summary>
    public Task UpdateInstructionsAsync(string instructions, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instructions);
        return _inbox.PostAndWaitAsync(ct =>
        {
            _configurator.ReplaceInstructions(instructions);
            return _link.SendAsync(_configurator.Change(_tools.Tools, instructionsChanged: true), ct);
        }, cancellationToken);
    }

    /// <summary>
    /// Answers an <see cref="McpApprovalRequestOutput"/>: with <paramref name="approve"/> the service makes the call and the
    /// model speaks its result; without, the model is told it was not approved (<paramref name="reason"/>, when given, says
    /// why) and goes on. Throws <see cref="InvalidOperationException"/> for a request that is not pending (answered already,
    /// or asked on a connection since replaced).
    /// </summary>
    public Task AnswerMcpApprovalAsync(string requestId, bool approve, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        return _inbox.PostAndWaitAsync(ct => _mcp.AnswerAsync(requestId, approve, reason, ct), cancellationToken);
    }

    /// <summary>A user joined: the greeting is spoken (once per user) when one is configured.</summary>
    public Task UserJoinedAsync(CancellationToken cancellationToken = default) => _inbox.PostAndWaitAsync(_conversation.GreetAsync, cancellationToken);

    /// <summary>The user left: any answer is interrupted and the input buffer cleared; the next user is greeted again.</summary>
    public Task UserLeftAsync(CancellationToken cancellationToken = default) => _inbox.PostAndWaitAsync(_conversation.ForgetUserAsync, cancellationToken);

    /// <summary>Stops: cancels in-flight work and closes the connection cleanly.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _inbox.TryStop(); // a failed session has stopped already; its resources are released here all the same
        _voice.Pace(on: false);
        _inbox.Complete();
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _actor.Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _status.Disposed();
        _input.Dispose();
        _dump?.Dispose();
        _lifetime.Dispose();
    }

    /// <summary>Ms of the user's audio the session keeps for a new connection (its open turn); for tests and diagnostics.</summary>
    internal double OpenTurnKeptMs => _connection.Slot.OpenTurnKeptMs;

    /// <summary>The conversation as it would be replayed after a reconnect, taken on the actor (for tests and diagnostics).</summary>
    internal async Task<IReadOnlyList<RealtimeConversationItem>> HistorySnapshotAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<RealtimeConversationItem> snapshot = [];
        await _inbox.PostAndWaitAsync(_ => { _transcript.TakeHeardTurns(); snapshot = _history.Items; return ValueTask.CompletedTask; }, cancellationToken).ConfigureAwait(false);
        return snapshot;
    }
}
