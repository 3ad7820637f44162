using System.Diagnostics;
using System.Globalization;

namespace V2V.Load;

/// <summary>
/// A process the <c>serve</c> mode measures apart: a <c>v2v serve</c> node (its sessions' realtime connections going
/// to the harness's simulator) or the HAProxy in front of the nodes (deploy/scaleout/haproxy.cfg).
/// </summary>
internal sealed class ServeProcess : MeasuredProcess
{
    private ServeProcess(Process process, Uri address)
        : base(process)
    {
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ServeProcess> StartNodeAsync(Uri realtime, int maxSessions)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                SimulatorProcess.FindCli(), "serve", "--port", "0", "--base-uri", realtime.ToString(),
                "--max-sessions", maxSessions.ToString(CultureInfo.InvariantCulture),
            },
        };
        info.Environment.Remove("OPENAI_API_KEY");
        info.Environment["DOTNET_gcServer"] = "0";
        var (process, address) = await StartUntilListeningAsync(info, "serve", AddressIn, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return new ServeProcess(process, address);
    }

    /// <summary>HAProxy with the repository's configuration, the nodes as node1..node3, on a free loopback port.</summary>
    public static ServeProcess StartBalancer(IReadOnlyList<ServeProcess> nodes)
    {
        var configuration = Path.Combine(Path.GetDirectoryName(SimulatorProcess.FindCli())!, "..", "..", "..", "..", "..", "deploy", "scaleout", "haproxy.cfg");
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var info = new ProcessStartInfo("haproxy") { UseShellExecute = false, ArgumentList = { "-db", "-q", "-f", Path.GetFullPath(configuration) } };
        info.Environment["V2V_LB_BIND"] = $"127.0.0.1:{port}";
        for (var i = 0; i < nodes.Count; i++)
        {
            info.Environment[$"V2V_NODE{i + 1}"] = $"{nodes[i].Address.Host}:{nodes[i].Address.Port}";
        }
        return new ServeProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start haproxy (apt-get install -y haproxy)"), new Uri($"http://127.0.0.1:{port}/"));
    }

    // "v2v playground: open http://127.0.0.1:PORT/" (the port Kestrel chose for port 0).
    private static Uri? AddressIn(string line)
    {
        var at = line.IndexOf("open http://", StringComparison.Ordinal);
        return at >= 0 ? new Uri(line[(at + "open ".Length)..].Trim()) : null;
    }
}
