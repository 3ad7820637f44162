using Microsoft.Extensions.Logging;
using V2V.Simulator.Scripting;

namespace V2V.Simulator;

/// <summary>Settings of the <see cref="LocalRealtimeServer"/>, checked when it starts.</summary>
public sealed class LocalRealtimeServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 (the default) takes any free port. Ignored when mapped onto an existing host.</summary>
    public int Port { get; set; }

    /// <summary>The key clients must present (Bearer, <c>api-key</c> header, or browser subprotocol); null accepts any client.</summary>
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

    internal void Validate()
    {
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
