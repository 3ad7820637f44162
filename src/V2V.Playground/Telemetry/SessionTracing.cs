using System.Diagnostics;

namespace V2V.Playground.Telemetry;

/// <summary>
/// The playground's traces: one span per browser session (<c>v2v.session</c>) and one per turn (<c>v2v.turn</c>, from
/// the end of the user's speech or typed text to the agent's last words), on the source <see cref="SourceName"/>.
/// Attributes say which backend and model, the session's settings, time to first audio, interruptions, how it ended;
/// never a key, an instruction or a transcript (what users say is theirs).
/// </summary>
public static class SessionTracing
{
    /// <summary>The ActivitySource to listen to (OpenTelemetry's <c>AddSource</c>).</summary>
    public const string SourceName = "V2V.Playground";

    internal static readonly ActivitySource Source = new(SourceName, "0.1.0");
}
