using System.Net.WebSockets;

namespace V2V.Playground.Sessions;

/// <summary>
/// A session this node will not take, said to the page: one fatal <c>error</c> (code <c>draining</c> or <c>full</c>)
/// whose message the page shows, then the close 1013 (try again later), which a balancer's retry or the user's next
/// Start sends to another node.
/// </summary>
internal static class SessionRefusal
{
    // RFC 6455's registry: 1013 Try Again Later (System.Net.WebSockets names no such status).
    private const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    public static string Describe(string reason, int capacity) => reason == "draining"
        ? "This server is shutting down and takes no new sessions; start again to reach another one."
        : $"This server is running {capacity} sessions, its limit; try again later.";

    public static async Task SendAsync(WebSocket socket, string reason, int capacity, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await socket.SendAsync(PageMessages.Error(Describe(reason, capacity), reason, fatal: true), WebSocketMessageType.Text, true, patience.Token).ConfigureAwait(false);
            await socket.CloseOutputAsync(TryAgainLater, reason, patience.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The page left first.
        }
    }
}
