using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace V2V.Simulator;

/// <summary>
/// A server that speaks the OpenAI Realtime wire protocol (GA and beta; OpenAI and Azure URL forms) on
/// 127.0.0.1, with a deterministic local agent behind it: no API key, no internet.
/// </summary>
/// <example>
/// <code>
/// await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 50 });
/// // connect a client to server.RealtimeUri (ws://127.0.0.1:PORT/v1/realtime)
/// </code>
/// </example>
public sealed class LocalRealtimeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private LocalRealtimeServer(WebApplication app, Uri baseUri, LocalRealtimeServerOptions options)
    {
        _app = app;
        BaseUri = baseUri;
        Options = options;
    }

    /// <summary>The options the server runs with; its faults are read live, so a test may switch one on mid-session.</summary>
    public LocalRealtimeServerOptions Options { get; }

    /// <summary>Where the server listens: <c>ws://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The OpenAI form of the endpoint: <c>ws://127.0.0.1:PORT/v1/realtime</c> (add <c>?model=...</c> at will).</summary>
    public Uri RealtimeUri => new(BaseUri, "/v1/realtime");

    /// <summary>Starts a server on loopback (any free port when <see cref="LocalRealtimeServerOptions.Port"/> is 0).</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<LocalRealtimeServer> StartAsync(LocalRealtimeServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        if (options.LoggerFactory is { } loggerFactory)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.UseWebSockets();
        app.MapLocalRealtimeServer(options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        var port = new Uri(address).Port;
        return new LocalRealtimeServer(app, new Uri($"ws://127.0.0.1:{port}"), options);
    }

    /// <summary>Stops listening and ends every open session.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
