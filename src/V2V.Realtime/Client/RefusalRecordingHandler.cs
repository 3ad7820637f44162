using System.Buffers;
using System.Net;

namespace V2V.Realtime.Client;

/// <summary>
/// Sits under the <see cref="System.Net.WebSockets.ClientWebSocket"/>'s handshake and keeps what a refused one said:
/// <see cref="System.Net.WebSockets.ClientWebSocket"/> exposes the status and headers of a refusal but drops its body,
/// where OpenAI and Azure OpenAI say why. Reads at most <see cref="MaxBodyBytes"/> of the body, within the
/// handshake's own timeout. One handler per handshake.
/// </summary>
internal sealed class RefusalRecordingHandler(TimeProvider clock) : DelegatingHandler(new SocketsHttpHandler
{
    // As ClientWebSocket's own handler: the connection leaves the pool as the WebSocket's, and no cookies.
    PooledConnectionLifetime = TimeSpan.Zero,
    UseCookies = false,
    AllowAutoRedirect = false,
})
{
    /// <summary>The most of a refusal's body read: an error message, not a page.</summary>
    public const int MaxBodyBytes = 8 * 1024;

    /// <summary>How long the body of a refusal is waited for, at most.</summary>
    private static readonly TimeSpan BodyPatience = TimeSpan.FromSeconds(2);

    /// <summary>What the server said, when it refused; null while it has not.</summary>
    public ServiceRefusal? Refusal { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // 101 upgrades HTTP/1.1; 200 accepts a WebSocket over HTTP/2. Anything else is a refusal.
        if (response.StatusCode is not HttpStatusCode.SwitchingProtocols and not HttpStatusCode.OK)
        {
            Refusal = ServiceRefusal.Read(response.Headers, await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false), clock.GetUtcNow());
        }
        return response;
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes);
        var length = 0;
        // A body that never ends (a proxy that keeps the connection open) must not turn a refusal into a timeout.
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(BodyPatience);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(patience.Token).ConfigureAwait(false);
            int read;
            while (length < MaxBodyBytes && (read = await body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes - length), patience.Token).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The server hung up or stalled mid-body: what came of it, the status and the headers still say what they say.
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
