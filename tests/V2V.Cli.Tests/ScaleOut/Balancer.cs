using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace V2V.Cli.Tests.ScaleOut;

/// <summary>
/// The real HAProxy (Debian's package) with the repository's deploy/scaleout/haproxy.cfg, in front of the given nodes,
/// and its runtime API on a unix socket to see which servers it counts as up.
/// </summary>
internal sealed class Balancer : IAsyncDisposable
{
    private const string Executable = "/usr/sbin/haproxy";
    private readonly Process _process;
    private readonly string _admin;
    private readonly StringBuilder _output = new();

    private Balancer(Process process, string admin, Uri address)
    {
        _process = process;
        _admin = admin;
        Address = address;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>The balancer's log (health checks, server up/down), for a failure's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Where HAProxy is, or null when this machine has none (apt-get install -y haproxy).</summary>
    public static string? Find() => File.Exists(Executable) ? Executable : null;

    /// <summary>Starts HAProxy on a free loopback port with the nodes as node1, node2 (and node3).</summary>
    public static Balancer Start(string configuration, string workFolder, params ServeProcess[] nodes)
    {
        var port = FreePort();
        var admin = Path.Combine(workFolder, "haproxy.sock");
        var start = new ProcessStartInfo(Find() ?? throw new InvalidOperationException("haproxy is not installed: apt-get install -y haproxy"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "-db", "-f", configuration })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["V2V_LB_BIND"] = $"127.0.0.1:{port}";
        start.Environment["V2V_LB_ADMIN"] = admin;
        for (var i = 0; i < nodes.Length; i++)
        {
            start.Environment[$"V2V_NODE{i + 1}"] = nodes[i].HostAndPort;
        }
        return new Balancer(Process.Start(start)!, admin, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>
    /// Waits until HAProxy counts <paramref name="server"/> as <paramref name="status"/> (UP, DOWN). Its health checks
    /// run every second, so this asks again each half second: a state, looked at until it holds or the guard ends.
    /// </summary>
    public async Task WaitForServerAsync(string server, string status, TimeSpan patience)
    {
        using var guard = new CancellationTokenSource(patience);
        var seen = "";
        try
        {
            while (true)
            {
                seen = await ServerStatusAsync(server, guard.Token).ConfigureAwait(false);
                if (seen.StartsWith(status, StringComparison.Ordinal))
                {
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(500), guard.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"HAProxy never counted {server} as {status} within {patience.TotalSeconds:F0} s (last: '{seen}'). Its log:\n{Output}");
        }
    }

    /// <summary>The status column of <c>show stat</c> for a server of the v2v_nodes backend (UP, DOWN, "UP 1/2", ...).</summary>
    public async Task<string> ServerStatusAsync(string server, CancellationToken cancellationToken)
    {
        if (!File.Exists(_admin))
        {
            return "no admin socket yet";
        }
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_admin), cancellationToken).ConfigureAwait(false);
        await socket.SendAsync("show stat\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        var csv = new StringBuilder();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            csv.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        // "# pxname,svname,qcur,...,status,..." then one line per proxy and server.
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var status = Array.IndexOf(lines[0].TrimStart('#', ' ').Split(','), "status");
        var row = lines.Select(l => l.Split(',')).FirstOrDefault(c => c.Length > status && c[0] == "v2v_nodes" && c[1] == server);
        return row?[status] ?? $"no server {server}";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // HAProxy cannot report a port it chose: take a free one from the system and hand it over (loopback, at once).
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
