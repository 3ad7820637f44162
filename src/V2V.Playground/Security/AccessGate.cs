using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace V2V.Playground.Security;

/// <summary>
/// Who may use the playground. With an access token: every request must carry it, in the cookie the server set when
/// the page was opened with <c>?token=T</c>, or as <c>Authorization: Bearer T</c>. Without one (loopback only): the
/// Host header must name this machine, because a web site could otherwise reach the loopback server through DNS
/// rebinding (its own name, resolved to 127.0.0.1, makes its pages "same origin" with the playground). The open paths
/// (the health probes) pass without either: a probe carries no token and addresses the node by its IP.
/// </summary>
internal sealed class AccessGate(string? token, IReadOnlyCollection<string> openPaths)
{
    public const string CookieName = "v2v_token";
    private readonly byte[]? _token = token is null ? null : Encoding.UTF8.GetBytes(token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (openPaths.Contains(request.Path.Value ?? ""))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (_token is null)
        {
            if (!ListenAddresses.IsLoopbackHost(request.Host.Host))
            {
                await RefuseAsync(context, StatusCodes.Status421MisdirectedRequest, "This playground answers to localhost and 127.0.0.1 only.").ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
            return;
        }
        if (request.Query.TryGetValue("token", out var fromUrl) && Matches(fromUrl.ToString()))
        {
            // The token is in the URL once: it moves to a cookie and out of the address bar and the history.
            context.Response.Cookies.Append(CookieName, fromUrl.ToString(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = request.IsHttps,
                Path = "/",
            });
            context.Response.Redirect(request.PathBase + request.Path);
            return;
        }
        var presented = request.Cookies[CookieName];
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }
        if (presented is null || !Matches(presented))
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "An access token is needed: open the page once with ?token= and the access token the server was given (V2V_PLAYGROUND_TOKEN, --token or Serve:Token).").ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    // Constant time: how much of a guess was right must not show in the response time.
    private bool Matches(string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
