using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace V2V.Simulator;

/// <summary>
/// A server that speaks the OpenAI Realtime wire protocol on 127.0.0.1, with a deterministic local agent behind
/// it: no API key, no internet. It imitates one service at a time, as strictly as that service behaves: its
/// <see cref="ServiceProfile"/> (<see cref="LocalRealtimeServerOptions.Profile"/>) decides the URL form, the
/// authentication, the dialect (GA on <see cref="ServiceProfile.OpenAi"/> and <see cref="ServiceProfile.Azure"/>,
/// beta on <see cref="ServiceProfile.AzurePreview"/>) and how long a session lasts.
/// </summary>
/// <example>
/// <code>
/// await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 50 });
/// // connect a GA client to server.ExampleUri (ws://127.0.0.1:PORT/v1/realtime?model=gpt-realtime)
///
/// await using var azure = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { Profile = ServiceProfile.Azure, ApiKey = "key" });
/// // azure.RealtimeUri is ws://127.0.0.1:PORT/openai/v1/realtime: add ?model=DEPLOYMENT, send the header api-key: key
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

    /// <summary>
    /// The endpoint of the server's profile, without a query: <c>/v1/realtime</c> (OpenAI; add <c>?model=...</c>),
    /// <c>/openai/v1/realtime</c> (Azure; add <c>?model=DEPLOYMENT</c>) or <c>/openai/realtime</c> (Azure preview;
    /// add <c>?api-version=...&amp;deployment=...</c>).
    /// </summary>
    public Uri RealtimeUri => new(BaseUri, Options.Profile.Path());

    /// <summary>
    /// <see cref="RealtimeUri"/> with a query a client of the profile sends, e.g.
    /// <c>ws://127.0.0.1:PORT/openai/realtime?api-version=2025-04-01-preview&amp;deployment=gpt-4o-realtime-preview</c>.
    /// </summary>
    public Uri ExampleUri => new(BaseUri, Options.Profile.Path() + Options.Profile.ExampleQuery());

    /// <summary>How long each session lasts: <see cref="LocalRealtimeServerOptions.SessionLifetime"/>, else the profile's (60 minutes OpenAI, 30 Azure).</summary>
    public TimeSpan SessionLifetime => Options.EffectiveSessionLifetime;

    /// <summary>Starts a server on loopback (any free port when <see cref="LocalRealtimeServerOptions.Port"/> is 0).</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<LocalRealtimeServer> StartAsync(LocalRealtimeServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
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
