using Microsoft.AspNetCore.Http;

namespace V2V.Playground.Security;

/// <summary>
/// The WebSocket is for the playground's own page: a browser always sends <c>Origin</c> on a WebSocket handshake, and
/// WebSockets are not bound by CORS, so without this check any web site open in the user's browser could talk to
/// the agent (and spend the key) with the user's cookie. A client that sends no Origin is not a browser page; it
/// still has to pass the <see cref="AccessGate"/>.
/// </summary>
internal static class OriginPolicy
{
    /// <summary>Whether the request's Origin, if any, is the server's own scheme, host and port.</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }
        var own = $"{request.Scheme}://{request.Host.Value}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase);
    }
}
