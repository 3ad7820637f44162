using System.Net.Sockets;

namespace V2V.Playground.Health;

/// <summary>
/// Whether the realtime service answers on the network: a TCP connection to its host and port, nothing sent (no key,
/// no session, no cost). For the local realtime server it is that server's own port, so "reachable" means "up".
/// The answer is kept for <see cref="Freshness"/>, so a probe every few seconds from each of several balancers does
/// not open a connection each time; one probe runs at a time.
/// </summary>
internal sealed class BackendProbe(string host, int port, TimeProvider time)
{
    /// <summary>How long an answer is kept.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ConnectPatience = TimeSpan.FromSeconds(3);
    private readonly SemaphoreSlim _one = new(1, 1);
    private (bool Reachable, long At)? _last;

    /// <summary>Where it connects, for the readiness answer (a host and port, never a key).</summary>
    public string Target => $"{host}:{port}";

    /// <summary>A probe of the service an endpoint URI names (<c>wss://api.openai.com</c>: port 443).</summary>
    public static BackendProbe For(Uri endpoint, TimeProvider time) =>
        new(endpoint.IdnHost, endpoint.IsDefaultPort ? (endpoint.Scheme is "ws" or "http" ? 80 : 443) : endpoint.Port, time);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } last && time.GetElapsedTime(last.At) < Freshness)
            {
                return last.Reachable;
            }
            var reachable = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            _last = (reachable, time.GetTimestamp());
            return reachable;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(ConnectPatience);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, patience.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
