using Microsoft.Extensions.Logging;
using V2V.Simulator.Scripting;

namespace V2V.Simulator;

/// <summary>Settings of the <see cref="LocalRealtimeServer"/>, checked when it starts.</summary>
public sealed class LocalRealtimeServerOptions
{
    /// <summary>
    /// The service the server imitates: its URL form, authentication, dialect and session lifetime
    /// (<see cref="ServiceProfile.OpenAi"/> by default; see <see cref="ServiceProfile"/>).
    /// </summary>
    public ServiceProfile Profile { get; set; } = ServiceProfile.OpenAi;

    /// <summary>
    /// How long a session lasts before the server ends it with <c>session_expired</c> and close 1001, as the
    /// services do; null (the default) takes the profile's: 60 minutes for OpenAI, 30 for Azure. Set it short to
    /// test a client's handling of the end of a session.
    /// </summary>
    public TimeSpan? SessionLifetime { get; set; }

    /// <summary>The clock of session lifetimes (<see cref="TimeProvider.System"/> by default); a fake one lets tests expire a session without waiting.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>TCP port on 127.0.0.1; 0 (the default) takes any free port. Ignored when mapped onto an existing host.</summary>
    public int Port { get; set; }

    /// <summary>
    /// The key clients must present, in the profile's way (OpenAI: Bearer or the browser subprotocol
    /// <c>openai-insecure-api-key.KEY</c>; Azure: the <c>api-key</c> header, or Bearer standing for an Entra token);
    /// null accepts any client.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// How answers are paced. <see cref="ResponsePace.Service"/> (the default) sends them as OpenAI does: faster
    /// than real time (<see cref="GenerationSpeed"/>), so the whole transcript is known long before it is heard.
    /// <see cref="ResponsePace.RealTime"/> keeps the server at most <see cref="AudioLeadMs"/> ahead of real time.
    /// </summary>
    public ResponsePace Pace { get; set; } = ResponsePace.Service;

    /// <summary>
    /// With <see cref="ResponsePace.Service"/>: seconds of answer audio generated per second of wall time. OpenAI's
    /// answers arrive several times faster than they play (a few seconds of audio within about a second): 4 by default.
    /// </summary>
    public double GenerationSpeed { get; set; } = 4;

    /// <summary>
    /// Runs every clock of the server this many times faster: the pace of answers, the delay of a cancel and of the
    /// user's transcription. 1 (the default) is the service's own timing; 20 suits tests; 0 or
    /// <see cref="double.PositiveInfinity"/> removes every wait (answers are sent as fast as the socket takes them).
    /// </summary>
    public double SpeedFactor { get; set; } = 1;

    /// <summary>
    /// Duration of the audio in every <c>response.(output_)audio.delta</c>. Null (the default): sizes that vary as
    /// OpenAI's do (see <see cref="Responses.AudioChunkSchedule"/>). The last delta of an item may be shorter.
    /// </summary>
    public int? AudioChunkMs { get; set; }

    /// <summary>
    /// With <see cref="ResponsePace.RealTime"/>: how far ahead of real time the server may send a response's audio,
    /// in audio milliseconds. Scaled by <see cref="SpeedFactor"/> like the rest.
    /// </summary>
    public int AudioLeadMs { get; set; } = 500;

    /// <summary>
    /// How long a <c>response.cancel</c> takes to take effect, as on the service: the response stays active meanwhile
    /// (a <c>response.create</c> is refused) and a few more deltas arrive. 100 ms by default.
    /// </summary>
    public TimeSpan CancelDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long after a commit the user's transcription arrives (input transcription on): the service transcribes
    /// asynchronously, so it comes after the answer has started. 400 ms by default.
    /// </summary>
    public TimeSpan TranscriptionDelay { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// Answers with more audio than this come as several assistant message items of one response, as newer models
    /// send them (0: never split). 5000 ms by default.
    /// </summary>
    public int SplitAnswersLongerThanMs { get; set; } = 5000;

    /// <summary>
    /// How much shorter than the audio it sent the service holds a generated audio item in its conversation, in ms: a
    /// truncate at the end of what a client received is refused ("Audio content of 6100ms is already shorter than
    /// 6185ms", 85 ms each time in pipecat-ai/pipecat#1963 and #2106). 85 by default; 0 holds all that was sent.
    /// </summary>
    public int ItemAudioShortfallMs { get; set; } = 85;

    /// <summary>
    /// The deployments of the simulated Azure resource (profile <see cref="ServiceProfile.Azure"/>): on Azure's GA
    /// endpoint a transcription model is a deployment name, and one that is not here fails each turn's transcription
    /// with <c>DeploymentNotFound</c>.
    /// </summary>
    public IReadOnlySet<string> AzureDeployments { get; set; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "gpt-realtime", "gpt-realtime-mini", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "whisper",
    };

    /// <summary>
    /// How long the server waits for each request to a session's remote MCP server (an <c>mcp</c> tool's
    /// <c>server_url</c>: the handshake, a page of its tool list, a tool call) before that listing or call fails. 10 s by default.
    /// </summary>
    public TimeSpan McpRequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Faults to inject (none by default).</summary>
    public LocalRealtimeServerFaults Faults { get; set; } = new();

    /// <summary>A JSON file of scripted responses (see <see cref="SimulatorScript"/>); read when the server starts.</summary>
    public string? ScriptPath { get; set; }

    /// <summary>Scripted responses given in code; wins over <see cref="ScriptPath"/>.</summary>
    public SimulatorScript? Script { get; set; }

    /// <summary>Where the server logs (nothing by default). API keys are never logged.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Called with every client event the server receives (after it is parsed, before it is handled), on the
    /// session's receive loop. For tests and diagnostics: clone the element to keep it.
    /// </summary>
    public Action<System.Text.Json.JsonElement>? ClientEventObserver { get; set; }

    /// <summary>
    /// Called with every server event once it has been sent, on the connection's writer, as the client reads it (its
    /// <c>event_id</c> included). For tests and diagnostics: clone the element to keep it.
    /// </summary>
    public Action<System.Text.Json.JsonElement>? ServerEventObserver { get; set; }

    /// <summary>
    /// Called once per connection when it has ended, with the status of the client's close frame, or null when the
    /// client sent none (it dropped or aborted the connection). For tests of a client's close handshake.
    /// </summary>
    public Action<System.Net.WebSockets.WebSocketCloseStatus?>? ClientCloseObserver { get; set; }

    /// <summary>
    /// How many unexpired client secrets the server keeps (<see cref="ClientSecrets.ClientSecretStore"/>): more are refused
    /// with 429. Settable for tests of that refusal.
    /// </summary>
    internal int MaxLiveClientSecrets { get; set; } = ClientSecrets.ClientSecretStore.DefaultCapacity;

    /// <summary>The lifetime sessions get: <see cref="SessionLifetime"/>, else the profile's.</summary>
    internal TimeSpan EffectiveSessionLifetime => SessionLifetime ?? Profile.DefaultSessionLifetime();

    internal void Validate()
    {
        if (!Enum.IsDefined(Profile))
        {
            throw new ArgumentOutOfRangeException(nameof(Profile), Profile, $"Profile must be one of {string.Join(", ", Enum.GetNames<ServiceProfile>())}.");
        }

        // A timer cannot wait longer than about 49 days; a day is far beyond any service's limit.
        if (SessionLifetime is { } lifetime && (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(1)))
        {
            throw new ArgumentOutOfRangeException(nameof(SessionLifetime), lifetime, "SessionLifetime must be positive and at most one day, or null for the profile's (60 minutes OpenAI, 30 Azure).");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be 0 (any free port) or 1-65535.");
        }

        if (double.IsNaN(SpeedFactor) || SpeedFactor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SpeedFactor), SpeedFactor, "SpeedFactor must be positive (1 = the service's timing), or 0 / infinity for no waiting at all.");
        }

        if (!Enum.IsDefined(Pace))
        {
            throw new ArgumentOutOfRangeException(nameof(Pace), Pace, "Pace must be Service or RealTime.");
        }

        if (double.IsNaN(GenerationSpeed) || GenerationSpeed < 1 || GenerationSpeed > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(GenerationSpeed), GenerationSpeed, "GenerationSpeed must be between 1 (real time) and 1000.");
        }

        if (AudioChunkMs is < 10 or > 5000)
        {
            throw new ArgumentOutOfRangeException(nameof(AudioChunkMs), AudioChunkMs, "AudioChunkMs must be between 10 and 5000, or null for the service's varying sizes.");
        }

        if (AudioLeadMs is < 0 or > 60_000)
        {
            throw new ArgumentOutOfRangeException(nameof(AudioLeadMs), AudioLeadMs, "AudioLeadMs must be between 0 and 60000.");
        }

        if (CancelDelay < TimeSpan.Zero || CancelDelay > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(CancelDelay), CancelDelay, "CancelDelay must be between 0 and 10 seconds.");
        }

        if (TranscriptionDelay < TimeSpan.Zero || TranscriptionDelay > TimeSpan.FromSeconds(30))
        {
            throw new ArgumentOutOfRangeException(nameof(TranscriptionDelay), TranscriptionDelay, "TranscriptionDelay must be between 0 and 30 seconds.");
        }

        if (SplitAnswersLongerThanMs is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SplitAnswersLongerThanMs), SplitAnswersLongerThanMs, "SplitAnswersLongerThanMs must not be negative (0: never split).");
        }

        if (ItemAudioShortfallMs is < 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(ItemAudioShortfallMs), ItemAudioShortfallMs, "ItemAudioShortfallMs must be between 0 and 1000.");
        }

        if (McpRequestTimeout <= TimeSpan.Zero || McpRequestTimeout > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentOutOfRangeException(nameof(McpRequestTimeout), McpRequestTimeout, "McpRequestTimeout must be positive and at most 5 minutes.");
        }

        if (ApiKey is { Length: 0 })
        {
            throw new ArgumentException("ApiKey must be null (no auth) or a non-empty key.", nameof(ApiKey));
        }

        // Clients would present it and be taken for ephemeral keys, looked up among the minted ones.
        if (ApiKey?.StartsWith(ClientSecrets.ClientSecret.Prefix, StringComparison.Ordinal) == true)
        {
            throw new ArgumentException($"ApiKey must not begin with '{ClientSecrets.ClientSecret.Prefix}': that prefix marks the ephemeral keys the server mints.", nameof(ApiKey));
        }

        if (MaxLiveClientSecrets < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLiveClientSecrets), MaxLiveClientSecrets, "MaxLiveClientSecrets must be at least 1.");
        }

        ArgumentNullException.ThrowIfNull(AzureDeployments, nameof(AzureDeployments));
        ArgumentNullException.ThrowIfNull(Faults, nameof(Faults));
        Faults.Validate();
    }

    internal SimulatorScript? ResolveScript() => Script ?? (ScriptPath is null ? null : SimulatorScript.Load(ScriptPath));
}
