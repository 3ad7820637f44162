using Microsoft.Extensions.Logging;

namespace V2V.Playground.Tests.Support;

/// <summary>The playground in this process on a free loopback port (Kestrel port 0).</summary>
internal static class LocalPlayground
{
    public static Task<PlaygroundServer> StartAsync(ILoggerFactory loggers, Action<PlaygroundOptions>? configure = null)
    {
        var options = new PlaygroundOptions { LoggerFactory = loggers };
        options.Urls.Add("http://127.0.0.1:0");
        // No key in the tests' environment can leak in: the local realtime server answers unless a test says otherwise.
        options.Environment = name => name == "OPENAI_API_KEY" ? null : Environment.GetEnvironmentVariable(name);
        configure?.Invoke(options);
        return PlaygroundServer.StartAsync(options, TestContext.Current.CancellationToken);
    }
}
