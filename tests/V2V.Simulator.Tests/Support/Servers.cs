namespace V2V.Simulator.Tests.Support;

internal static class Servers
{
    /// <summary>A server on a free loopback port, unpaced unless asked, so tests never wait on a clock.</summary>
    public static Task<LocalRealtimeServer> StartAsync(Action<LocalRealtimeServerOptions>? configure = null)
    {
        var options = new LocalRealtimeServerOptions { SpeedFactor = 0 };
        configure?.Invoke(options);
        return LocalRealtimeServer.StartAsync(options, TestContext.Current.CancellationToken);
    }
}
