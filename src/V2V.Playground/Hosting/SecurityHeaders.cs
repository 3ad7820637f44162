using Microsoft.AspNetCore.Http;

namespace V2V.Playground.Hosting;

/// <summary>Headers on every response: the page runs only its own scripts, talks only to its own server, is never framed.</summary>
internal static class SecurityHeaders
{
    // connect-src 'self' covers the same-origin WebSocket; worklets are scripts, so script-src 'self' covers them.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // The token may be in the first URL: it must not travel on as a Referer.
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    }
}
