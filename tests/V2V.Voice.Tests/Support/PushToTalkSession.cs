using V2V.Simulator;

namespace V2V.Voice.Tests.Support;

/// <summary>A push-to-talk host's session (turns ended by the host), its voice paced as played, reconnecting in 200 to 400 ms.</summary>
internal static class PushToTalkSession
{
    /// <summary>Starts it against a local server set up by <paramref name="server"/>, which answers in real time (speed 1).</summary>
    public static Task<SessionHarness> StartAsync(Action<LocalRealtimeServerOptions> server) => SessionHarness.StartAsync(o =>
    {
        o.AudioOut = true;
        o.PaceOutput = true;
        o.TurnMode = TurnMode.Manual;
        o.ReconnectDelay = TimeSpan.FromMilliseconds(200);
        o.MaxReconnectDelay = TimeSpan.FromMilliseconds(400);
    }, s =>
    {
        s.SpeedFactor = 1;
        server(s);
    });
}
