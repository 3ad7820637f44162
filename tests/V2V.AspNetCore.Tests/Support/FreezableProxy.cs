using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace V2V.AspNetCore.Tests.Support;

/// <summary>
/// A TCP proxy on loopback in front of an app: a network between a browser and the server that can go silent.
/// <see cref="Freeze"/> stops every connection open now from carrying anything, either way, without closing it (as a
/// phone's old network does when it hands over to another); connections opened afterwards carry as before.
/// </summary>
internal sealed class FreezableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<Link, byte> _links = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FreezableProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>The app, through the proxy.</summary>
    public Uri Url { get; }

    /// <summary>Every connection open now carries nothing from here on; it stays open.</summary>
    public int Freeze()
    {
        var frozen = 0;
        foreach (var link in _links.Keys)
        {
            link.Frozen = true;
            frozen++;
        }
        return frozen;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(_target, _stop.Token);
                var link = new Link(client, server);
                _links[link] = 0;
                _ = Task.WhenAll(PumpAsync(link, client.GetStream(), server.GetStream()), PumpAsync(link, server.GetStream(), client.GetStream()))
                    .ContinueWith(_ => { _links.TryRemove(link, out var _); link.Dispose(); }, TaskScheduler.Default);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Link link, NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0 || link.Frozen)
                {
                    break; // a frozen link drops what it read, and reads no more: its peers' buffers fill and nothing arrives
                }
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
            if (link.Frozen)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            link.Dispose();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            link.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        foreach (var link in _links.Keys)
        {
            link.Dispose();
        }
        _stop.Dispose();
    }

    private sealed class Link(TcpClient client, TcpClient server) : IDisposable
    {
        public volatile bool Frozen;

        public void Dispose()
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
