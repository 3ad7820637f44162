using System.Net;

namespace V2V.Playground.Security;

/// <summary>Reads the Kestrel URLs the playground is told to listen on, and says whether each stays on this machine.</summary>
internal static class ListenAddresses
{
    /// <summary>Checks the URLs and refuses a non-loopback bind without an access token.</summary>
    /// <exception cref="PlaygroundConfigurationException">A URL is malformed, or one is not loopback and there is no token.</exception>
    public static void Check(IReadOnlyList<string> urls, bool hasToken)
    {
        foreach (var url in urls)
        {
            var host = HostOf(url);
            CheckPort(url, host);
            if (!IsLoopbackHost(host) && !hasToken)
            {
                throw new PlaygroundConfigurationException(
                    $"Refusing to listen on {url}: it is not a loopback address, so anyone who can reach this machine could use the " +
                    $"playground and spend your API key. Give an access token with --token (or the {PlaygroundOptions.TokenVariable} " +
                    $"environment variable), or listen on loopback only: --urls {PlaygroundOptions.DefaultUrl}");
            }
        }
    }

    /// <summary>Whether every URL is loopback.</summary>
    public static bool AllLoopback(IReadOnlyList<string> urls) => urls.All(u => IsLoopbackHost(HostOf(u)));

    /// <summary>Whether a host name or address stays on this machine (<c>localhost</c>, 127.0.0.0/8, ::1).</summary>
    public static bool IsLoopbackHost(string host)
    {
        host = host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    // A port outside 0..65535 would otherwise surface as a stack trace from deep inside Kestrel.
    private static void CheckPort(string url, string host)
    {
        var afterHost = url[(url.IndexOf(host, url.IndexOf("://", StringComparison.Ordinal) + 3, StringComparison.Ordinal) + host.Length)..];
        if (!afterHost.StartsWith(':'))
        {
            return;
        }
        var digits = afterHost[1..].Split('/')[0];
        if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new PlaygroundConfigurationException($"'{url}' has the port '{digits}'; a port is a number from 0 to 65535 (0: any free port).");
        }
    }

    // Kestrel's wildcards (*, +) are not valid URI hosts, so the host is cut out by hand.
    private static string HostOf(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            throw new PlaygroundConfigurationException($"'{url}' is not a URL such as {PlaygroundOptions.DefaultUrl}.");
        }
        var rest = url[(schemeEnd + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        var host = end <= 0 ? rest : rest[..end];
        if (host.Length == 0)
        {
            throw new PlaygroundConfigurationException($"'{url}' names no host; use e.g. {PlaygroundOptions.DefaultUrl}.");
        }
        return host;
    }
}
