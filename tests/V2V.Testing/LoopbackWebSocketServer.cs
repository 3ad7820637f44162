using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace V2V.Testing;

/// <summary>
/// A real Kestrel WebSocket server on a free loopback port, scripted by the test: it records each handshake
/// (path, query, headers) and every text message the client sends, and runs the test's conversation.
/// </summary>
public sealed class LoopbackWebSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackWebSocketServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public ConcurrentQueue<HandshakeRecord> Handshakes { get; } = new();

    public ConcurrentQueue<string> ReceivedMessages { get; } = new();

    /// <summary>Starts a server; <paramref name="conversation"/> runs for each accepted WebSocket. <paramref name="refuseWith"/> answers the handshake with that HTTP status instead.</summary>
    public static async Task<LoopbackWebSocketServer> StartAsync(Func<WebSocket, LoopbackWebSocketServer, CancellationToken, Task> conversation, int? refuseWith = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new LoopbackWebSocketServer(app);
        app.UseWebSockets();
        app.Run(async context =>
        {
            server.Handshakes.Enqueue(new HandshakeRecord(
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            if (refuseWith is int status)
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsync("{\"error\":{\"message\":\"refused by test\"}}");
                return;
            }
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            // The conversation ends when the server stops, not on RequestAborted: Kestrel cancels that once the
            // client's connection has ended, even while what the client sent before is still unread. A client that
            // sends, closes and goes at once, beside a handler late on a busy machine, lost all it had sent.
            await conversation(socket, server, context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal));
        return server;
    }

    /// <summary>Reads text messages into <see cref="ReceivedMessages"/> until the client closes.</summary>
    public async Task RecordUntilClosedAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cancellationToken);
                return;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                ReceivedMessages.Enqueue(Encoding.UTF8.GetString(message.ToArray()));
                message.SetLength(0);
            }
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> messages were recorded, then returns them all. The wait is a guard
    /// only (a minute, generous for a busy machine); it fails naming how many came.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForMessagesAsync(int count, CancellationToken cancellationToken)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(60));
        while (ReceivedMessages.Count < count)
        {
            try
            {
                await Task.Delay(10, guard.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{ReceivedMessages.Count} of {count} messages arrived within 60 s.");
            }
        }
        return [.. ReceivedMessages];
    }

    public static Task SendTextAsync(WebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(grace.Token);
        await _app.DisposeAsync();
    }
}

public sealed record HandshakeRecord(string Path, string Query, IReadOnlyDictionary<string, string> Headers);
