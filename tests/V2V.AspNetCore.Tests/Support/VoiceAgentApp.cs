using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Voice;

namespace V2V.AspNetCore.Tests.Support;

/// <summary>
/// An app as a .NET developer writes one: Kestrel on loopback, the voice sessions registered against the local realtime
/// server (in-process, with a key it checks), <c>MapVoiceAgent("/voice")</c> and <c>MapRealtimeClientSecrets("/realtime-key")</c>.
/// </summary>
internal sealed class VoiceAgentApp : IAsyncDisposable
{
    /// <summary>The key the local server takes; no message to a page may hold it.</summary>
    public const string ApiKey = "sk-test-KEY-never-shown-7f3a9c";

    /// <summary>With <c>signIn</c>, the request header naming the signed-in user (a stand-in for the app's authentication).</summary>
    public const string UserHeader = "X-Test-User";

    private VoiceAgentApp(WebApplication app, LocalRealtimeServer server, FakeLoggerProvider logs, Uri baseUri)
    {
        App = app;
        Server = server;
        Logs = logs;
        BaseUri = baseUri;
    }

    public WebApplication App { get; }

    public LocalRealtimeServer Server { get; }

    public FakeLoggerProvider Logs { get; }

    public Uri BaseUri { get; }

    /// <summary>Every event the sessions sent to the realtime server, in order.</summary>
    public ConcurrentQueue<JsonElement> ClientEvents { get; private init; } = new();

    /// <summary>The events of <paramref name="type"/> the realtime server received.</summary>
    public IReadOnlyList<JsonElement> Sent(string type) => [.. ClientEvents.Where(e => e.GetProperty("type").GetString() == type)];

    /// <summary>Waits (a minute at most) until the realtime server has received an event of <paramref name="type"/> (that <paramref name="matches"/>); all of that type.</summary>
    public async Task<IReadOnlyList<JsonElement>> SentAsync(string type, Func<JsonElement, bool>? matches = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Sent(type).Any(matches ?? (_ => true)))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), $"the realtime server received no {type} within a minute");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        return Sent(type);
    }

    public Uri VoiceUri => new($"ws://{BaseUri.Authority}/voice");

    public static async Task<VoiceAgentApp> StartAsync(
        Action<VoiceAgentEndpointOptions>? endpoint = null,
        Action<VoiceSessionOptions>? session = null,
        string serverKey = ApiKey,
        bool useWebSockets = true,
        Action<ClientSecretEndpointOptions>? secrets = null,
        bool signIn = false)
    {
        var clientEvents = new ConcurrentQueue<JsonElement>();
        var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { ApiKey = serverKey, ClientEventObserver = e => clientEvents.Enqueue(e.Clone()) }, TestContext.Current.CancellationToken);
        var logs = new FakeLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddVoiceSessions(o =>
        {
            o.Connection = new RealtimeClientOptions { BaseUri = server.BaseUri, ApiKey = ApiKey, Model = "gpt-realtime" };
            session?.Invoke(o);
        });
        var app = builder.Build();
        if (useWebSockets)
        {
            app.UseWebSockets();
        }
        if (signIn)
        {
            app.Use((http, next) =>
            {
                if (http.Request.Headers[UserHeader].ToString() is { Length: > 0 } user)
                {
                    http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, user)], "test"));
                }
                return next(http);
            });
        }
        app.MapVoiceAgent("/voice", endpoint);
        app.MapRealtimeClientSecrets("/realtime-key", secrets);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new VoiceAgentApp(app, server, logs, new Uri(address)) { ClientEvents = clientEvents };
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        await Server.DisposeAsync();
        Logs.Dispose();
    }
}
