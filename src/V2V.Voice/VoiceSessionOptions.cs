using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;

namespace V2V.Voice;

/// <summary>Settings of a <see cref="VoiceSession"/>, checked by <see cref="Validate"/> with messages that name the setting.</summary>
public sealed class VoiceSessionOptions
{
    /// <summary>Where to connect and in which dialect (api key, base URI, path, vendor, model).</summary>
    public RealtimeClientOptions Connection { get; set; } = new();

    /// <summary>
    /// The realtime client that opens the session's connections (each reconnect and renewal too); null: one built
    /// from <see cref="Connection"/>. A test, or a host with a transport of its own, passes a subclass.
    /// </summary>
    public RealtimeClient? Client { get; set; }

    /// <summary>
    /// The system instructions; <c>{language}</c>, <c>{model}</c> and <c>{tools}</c> (a line per tool known when the
    /// session is configured: at the start, a reconnect or a renewal) are replaced.
    /// </summary>
    public string? Instructions { get; set; }

    /// <summary>The voice, e.g. <c>alloy</c>, <c>marin</c>.</summary>
    public string? Voice { get; set; }

    /// <summary>
    /// How fast the voice speaks, as a multiple of its own pace: 0.25 to 1.5 (GA only; the service's
    /// <c>audio.output.speed</c>, applied to the audio after it is made); null: the service's (1).
    /// </summary>
    public double? Speed { get; set; }

    /// <summary>The sampling temperature (sent in the beta dialect only; GA models fix it).</summary>
    public double? Temperature { get; set; }

    /// <summary>The maximum output tokens of a response; null: no limit.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>
    /// How hard a reasoning model (such as <c>gpt-realtime-2</c>) thinks before it speaks: <c>minimal</c>, <c>low</c>,
    /// <c>medium</c>, <c>high</c> or <c>xhigh</c> (GA only; the service's <c>reasoning.effort</c>): more is better on hard
    /// turns and slower to the first word; null: the model's own (low).
    /// </summary>
    public string? ReasoningEffort { get; set; }

    /// <summary>
    /// Whether a reasoning model (such as <c>gpt-realtime-2</c>) may call several tools at once (GA only; the service's
    /// <c>parallel_tool_calls</c>): false for tools that must run one after another; null: the model's own (not sent).
    /// </summary>
    public bool? ParallelToolCalls { get; set; }

    /// <summary>The session's traces in OpenAI's Traces dashboard (GA only); null: not traced (the default).</summary>
    public SessionTracing? Tracing { get; set; }

    /// <summary>
    /// Cost control of a long conversation (GA only; the service's <c>truncation</c>): once the conversation outgrows the
    /// model's context (or <see cref="TruncationTokenLimit"/>), the service drops its oldest turns until this fraction of
    /// the limit is left, more than 0 and at most 1 (e.g. 0.8), so it truncates seldom and its cache of the conversation
    /// holds between turns; null: the service's own truncation (<c>auto</c>), which drops just enough on every turn.
    /// </summary>
    public double? RetentionRatio { get; set; }

    /// <summary>
    /// With <see cref="RetentionRatio"/>: the tokens the conversation may hold after the instructions and tools before it
    /// is truncated (the service's <c>token_limits.post_instructions</c>), a cap on what each answer costs; null: the
    /// model's context.
    /// </summary>
    public int? TruncationTokenLimit { get; set; }

    /// <summary>The conversation language (e.g. <c>en</c>, <c>zh-CN</c>): for input transcription and <c>{language}</c>.</summary>
    public string? Language { get; set; }

    /// <summary>Who ends the user's turns.</summary>
    public TurnMode TurnMode { get; set; } = TurnMode.ServerVad;

    /// <summary>Server VAD threshold 0..1.</summary>
    public double VadThreshold { get; set; } = 0.5;

    /// <summary>Server VAD audio kept before speech, in ms.</summary>
    public int VadPrefixPaddingMs { get; set; } = 300;

    /// <summary>Silence that ends a turn, in ms (server VAD and local VAD).</summary>
    public int VadSilenceDurationMs { get; set; } = 500;

    /// <summary>Semantic VAD eagerness: <c>low</c>, <c>medium</c>, <c>high</c>, <c>auto</c>.</summary>
    public string SemanticVadEagerness { get; set; } = "auto";

    /// <summary>
    /// The service's noise reduction of the input, before its turn detection and the model hear it: <c>near_field</c>
    /// (headsets, a phone held to the ear), <c>far_field</c> (laptops, rooms, speakerphones), or null (off, the service's
    /// default). Noise that reaches the turn detection is taken for speech, and speech cuts the agent off.
    /// </summary>
    public string? NoiseReduction { get; set; }

    /// <summary>
    /// When the user says nothing for this long after the agent's last answer has played, the model prompts them to go on
    /// (a phone agent's "are you still there?"), and the session tells its reader (<see cref="Outputs.UserIdleOutput"/>).
    /// With server VAD on the GA dialect the service keeps it (its <c>idle_timeout_ms</c>: it commits the silence as a
    /// turn and answers it); in every other turn mode, and on beta, the session keeps it itself (any speech heard, text,
    /// <see cref="VoiceSession.InterruptAsync"/> or <see cref="VoiceSession.EndTurnAsync"/> resets it). 5 to 30 s (the
    /// service's bounds); null: off (the default).
    /// </summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>The service keeps <see cref="IdleTimeout"/> (server VAD, GA); otherwise the session's own timer does.</summary>
    internal bool IdleTimeoutIsTheServices => IdleTimeout is not null && TurnMode == TurnMode.ServerVad && Connection.Dialect != V2V.Realtime.Protocol.RealtimeDialect.Beta;

    /// <summary>False: text only (no audio out; transcripts from the model's text).</summary>
    public bool AudioOut { get; set; } = true;

    /// <summary>Transcribe the user's speech (sent out as final user transcripts).</summary>
    public bool InputTranscript { get; set; }

    /// <summary>
    /// The transcription model when <see cref="InputTranscript"/> is on. Null: <c>whisper-1</c> on OpenAI. On Azure it
    /// is the name of a deployment of a transcription model in the resource, and there is no default: with none,
    /// the session runs without input transcription and says so once at the start.
    /// </summary>
    public string? TranscriptionModel { get; set; }

    /// <summary>OpenAI's transcription model when <see cref="TranscriptionModel"/> is not set.</summary>
    public const string DefaultOpenAiTranscriptionModel = "whisper-1";

    /// <summary>The transcription model the session asks for: null when the user's speech is not transcribed.</summary>
    internal string? EffectiveTranscriptionModel => !InputTranscript ? null
        : !string.IsNullOrWhiteSpace(TranscriptionModel) ? TranscriptionModel
        : Connection.Vendor == V2V.Realtime.Client.RealtimeVendor.Azure ? null
        : DefaultOpenAiTranscriptionModel;

    /// <summary>
    /// Why <see cref="InputTranscript"/> is on but nothing will be transcribed (Azure without a
    /// <see cref="TranscriptionModel"/>), with the fix; null otherwise.
    /// </summary>
    internal string? TranscriptionOffReason => InputTranscript && EffectiveTranscriptionModel is null
        ? $"{nameof(InputTranscript)} is on, but on Azure the transcription model is a deployment of your resource and {nameof(TranscriptionModel)} is not set: "
          + $"the user's speech is not transcribed. {AzureTranscriptionFix}"
        : null;

    /// <summary>What to do when Azure has no transcription deployment to use: said at start and when a transcription fails.</summary>
    internal static string AzureTranscriptionFix =>
        $"Deploy a transcription model (for example gpt-4o-mini-transcribe) and set {nameof(TranscriptionModel)} to its deployment name, or turn {nameof(InputTranscript)} off.";

    /// <summary>The sample rate of the audio frames out (8000 to 48000).</summary>
    public int OutputSampleRate { get; set; } = 24000;

    /// <summary>The length of each audio frame out.</summary>
    public TimeSpan OutputFrameDuration { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Pace audio out in real time (true), or give it out as fast as it comes (files, tests).</summary>
    public bool PaceOutput { get; set; } = true;

    /// <summary>
    /// How often paced audio is handed to the reader (1 to 100 ms): each time, the frames due before the next time, so
    /// with 10 ms frames the default 20 ms gives two at a time, up to 20 ms ahead of when they are heard. Each hand-over
    /// wakes the reader's thread: 5 ms hands the audio over more evenly and wakes it twice as often per frame
    /// (docs/perf/README.md). A barge-in's truncate counts what was handed over, so it may include up to this much
    /// audio the listener had not heard yet.
    /// </summary>
    public TimeSpan OutputPacingInterval { get; set; } = Playback.AudioPacer.DefaultTick;

    /// <summary>
    /// The transport says what was played (<see cref="VoiceSession.ReportPlayed"/>), instead of "played" meaning taken
    /// from <see cref="VoiceSession.ReadOutputsAsync"/>: for a transport whose far end buffers audio and confirms what it
    /// played (a phone media stream's marks), so a barge-in truncates at what the listener heard, not at what was sent.
    /// </summary>
    public bool TransportReportsPlayed { get; set; }

    /// <summary>How much audio is gathered into one append while the user speaks, in ms (smaller: more messages).</summary>
    public int InputChunkMs { get; set; } = 20;

    /// <summary>
    /// With the server's turn detection, input frames quieter than this (RMS, dB below full scale) near the end of its
    /// silence window (server VAD: from 100 ms before <see cref="VadSilenceDurationMs"/> of quiet to 50 ms after it;
    /// semantic VAD: any quiet frame) are sent at once, with whatever was gathered before them, instead of waiting to
    /// fill <see cref="InputChunkMs"/>: the server sees the pause that ends a turn as it happens, so the answer starts
    /// up to one chunk sooner, for a few more messages per pause. Speech is far louder (-35 to -15 dBFS); -120 turns
    /// it off.
    /// </summary>
    public double InputQuietDbfs { get; set; } = -45;

    /// <summary>What the agent says when the first user joins; empty: nothing.</summary>
    public string? Greeting { get; set; }

    /// <summary>
    /// Turns of an earlier conversation with this user (a storage's), oldest first: the model is told the last
    /// <see cref="MaxHistory"/> of them after its instructions, as the TEN original did, so it can refer back to them.
    /// </summary>
    public IReadOnlyList<Conversation.PreviousTurn> PreviousConversation { get; set; } = [];

    /// <summary>How many turns of history are kept and replayed after a reconnect (0: none).</summary>
    public int MaxHistory { get; set; } = 20;

    /// <summary>
    /// Functions the model may call, as .NET code writes them (<c>AIFunctionFactory.Create(method)</c>): each is
    /// offered with its name, description and <see cref="AIFunctionDeclaration.JsonSchema"/>, run with the model's
    /// arguments, and its result (or the exception it throws) becomes the call's output. A tool registered later with
    /// the same name (<see cref="VoiceSession.RegisterToolAsync"/>) takes its place.
    /// </summary>
    public IList<AIFunction> Tools { get; set; } = [];

    /// <summary>
    /// Remote MCP servers whose tools the model may use (GA only): the service lists and calls them itself (see
    /// <see cref="McpServer"/>). Given to every connection with the functions of <see cref="Tools"/>.
    /// </summary>
    public IList<McpServer> McpServers { get; set; } = [];

    /// <summary>How long a tool call may take before an error output is returned to the model.</summary>
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most audio waiting to be played out; beyond it the oldest is dropped and counted.</summary>
    public TimeSpan MaxQueuedOutput { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How many outputs may wait for the reader; audio beyond it is dropped and counted, other outputs wait.</summary>
    public int OutputCapacity { get; set; } = 1024;

    /// <summary>Audio kept while reconnecting and sent after; older audio is dropped and counted.</summary>
    public TimeSpan ReconnectAudioBuffer { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Reconnect when the connection drops (exponential backoff with jitter; see <see cref="ReconnectGiveUpAfter"/>).</summary>
    public bool Reconnect { get; set; } = true;

    /// <summary>The first wait between connection attempts; it doubles (with jitter) up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between connection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a connection must stay up to count as healthy: connections that die younger are failed attempts of the
    /// same outage (the backoff keeps growing); after a healthy one, the next drop starts with a short wait again.
    /// </summary>
    public TimeSpan HealthyConnectionTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an outage may last (no healthy connection) before the session gives up with one fatal error.</summary>
    public TimeSpan ReconnectGiveUpAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many more times the first connection is tried when the service refuses it for now (HTTP 429, 5xx, no answer).</summary>
    public int FirstConnectRetries { get; set; } = 2;

    /// <summary>
    /// The connection is renewed before the service ends its session: a few minutes before the <c>expires_at</c> the
    /// service sends (OpenAI 60 minutes, Azure 30), at the next quiet moment (no answer in progress), replaying the
    /// history; close to the expiry even mid-answer. This caps the age of a connection too (renewed at this age when
    /// quiet, five minutes later in any case); null: only the service's <c>expires_at</c>, or 50 minutes when it does
    /// not send one.
    /// </summary>
    public TimeSpan? MaxConnectionAge { get; set; }

    /// <summary>The clock of reconnect backoff, healthy periods and renewals (<see cref="TimeProvider.System"/>; a fake one in tests).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Write input and output audio as WAV files into <see cref="DumpFolder"/>.</summary>
    public bool Dump { get; set; }

    /// <summary>The folder of the dumps.</summary>
    public string DumpFolder { get; set; } = "dumps";

    /// <summary>
    /// The session's label, which starts the names of its dump files (<c>{DumpName}_{start}_in.wav</c>): 1 to 32
    /// letters, digits, '-' or '_', so a dump can never be written outside <see cref="DumpFolder"/>. A host names its
    /// sessions in its own terms (the TEN extension uses the stream id).
    /// </summary>
    public string DumpName { get; set; } = "session";

    /// <summary>
    /// Logging: the session's (reconnects, renewals, barge-ins, refusals) and, unless <see cref="Connection"/> has
    /// its own, its realtime connection's. Nothing is logged when null; a secret never appears in a line.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Where the session's metrics are measured (meter <c>V2V.Voice</c>, see <see cref="Diagnostics.VoiceMetrics"/>): a
    /// host's factory, or a test's own so that it sees this session's measurements only. Null: one meter for the process.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>
    /// Checks the settings (all of them, see <see cref="VoiceSessionOptionsValidator"/>); throws
    /// <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> is the first setting at fault and
    /// whose message names every one with its allowed values.
    /// </summary>
    public void Validate()
    {
        var failures = VoiceSessionOptionsValidator.Check(this);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures.Select(f => f.Message)), failures[0].Setting);
        }
    }

}
