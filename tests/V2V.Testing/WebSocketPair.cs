using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace V2V.Testing;

/// <summary>
/// Two ends of one real WebSocket over a loopback TCP connection, with no HTTP in between: for testing a piece that
/// reads or writes a socket (a server's end and a client's), without an app around it.
/// </summary>
public sealed class WebSocketPair : IAsyncDisposable
{
    private readonly TcpClient _serverTcp;
    private readonly TcpClient _clientTcp;

    private WebSocketPair(TcpClient serverTcp, TcpClient clientTcp)
    {
        _serverTcp = serverTcp;
        _clientTcp = clientTcp;
        Server = WebSocket.CreateFromStream(serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
        Client = WebSocket.CreateFromStream(clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
    }

    public WebSocket Server { get; }

    public WebSocket Client { get; }

    public static async Task<WebSocketPair> ConnectAsync(CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cancellationToken);
        var server = await listener.AcceptTcpClientAsync(cancellationToken);
        await connecting;
        return new WebSocketPair(server, client);
    }

    public ValueTask DisposeAsync()
    {
        Server.Dispose();
        Client.Dispose();
        _serverTcp.Dispose();
        _clientTcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
