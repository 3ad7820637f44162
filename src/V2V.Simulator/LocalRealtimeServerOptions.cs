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
    /// How much faster than real time responses are paced: 1 is real time (the default), 50 suits tests,
    /// 0 or <see cref="double.PositiveInfinity"/> sends without any pacing.
    /// </summary>
    public double SpeedFactor { get; set; } = 1;

    /// <summary>
    /// Duration of the audio in one <c>response.(output_)audio.delta</c>. OpenAI's deltas vary in size and are
    /// not documented; 100 ms (4,800 bytes of pcm16) is a realistic fixed size. The last delta may be shorter.
    /// </summary>
    public int AudioChunkMs { get; set; } = 100;

    /// <summary>
    /// How far ahead of real time the server may send a response's audio, in audio milliseconds. OpenAI sends
    /// faster than real time, so a client must buffer and track what was played; 500 ms keeps that true while
    /// leaving a response in progress long enough for barge-in. Scaled by <see cref="SpeedFactor"/> like the rest.
    /// </summary>
    public int AudioLeadMs { get; set; } = 500;

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
            throw new ArgumentOutOfRangeException(nameof(SpeedFactor), SpeedFactor, "SpeedFactor must be positive (1 = real time), or 0 / infinity for no pacing.");
        }

        if (AudioChunkMs is < 10 or > 5000)
        {
            throw new ArgumentOutOfRangeException(nameof(AudioChunkMs), AudioChunkMs, "AudioChunkMs must be between 10 and 5000.");
        }

        if (AudioLeadMs is < 0 or > 60_000)
        {
            throw new ArgumentOutOfRangeException(nameof(AudioLeadMs), AudioLeadMs, "AudioLeadMs must be between 0 and 60000.");
        }

        if (ApiKey is { Length: 0 })
        {
            throw new ArgumentException("ApiKey must be null (no auth) or a non-empty key.", nameof(ApiKey));
        }

        ArgumentNullException.ThrowIfNull(Faults, nameof(Faults));
        Faults.Validate();
    }

    internal SimulatorScript? ResolveScript() => Script ?? (ScriptPath is null ? null : SimulatorScript.Load(ScriptPath));
}
