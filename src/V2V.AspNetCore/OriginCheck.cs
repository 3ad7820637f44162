using Microsoft.AspNetCore.Http;

namespace V2V.AspNetCore;

/// <summary>
/// Which pages may open a socket: the server's own, and the origins allowed by name. A request without <c>Origin</c>
/// is not a browser page (a native app, a test): it is let in, and the endpoint's authorization applies to it as to all.
/// </summary>
internal static class OriginCheck
{
    public static bool Allows(HttpRequest request, IList<string> allowed)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }
        if (string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        foreach (var other in allowed)
        {
            if (string.Equals(origin, other, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
