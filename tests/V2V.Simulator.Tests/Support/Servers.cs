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

    /// <summary>
    /// A server whose profile speaks the dialect: GA on the default openai profile; beta only on azure-preview,
    /// since OpenAI retired the beta shape (beta clients get beta_api_shape_disabled there).
    /// </summary>
    public static Task<LocalRealtimeServer> StartAsync(bool beta, Action<LocalRealtimeServerOptions>? configure = null) =>
        StartAsync(o =>
        {
            o.Profile = beta ? ServiceProfile.AzurePreview : ServiceProfile.OpenAi;
            configure?.Invoke(o);
        });
}
