using System.Net;
using Microsoft.AspNetCore.Http;

namespace V2V.Playground.Telephony;

/// <summary>
/// Who may open a media stream. With an auth token: whoever presents Twilio's valid signature of the stream URL (the
/// playground's own access token is not asked for: Twilio cannot send it). Without: loopback callers only, since a
/// stream spends the API key.
/// </summary>
internal sealed class StreamGate(string? authToken, Uri? publicUrl)
{
    /// <summary>Null when the request may go on, else why it is refused (for the log; never holds the token).</summary>
    public string? Refusal(HttpRequest request)
    {
        if (authToken is null)
        {
            var remote = request.HttpContext.Connection.RemoteIpAddress;
            return remote is not null && IPAddress.IsLoopback(remote) ? null
                : $"a caller from {remote} without a configured {TelephonyOptions.AuthTokenVariable}: only loopback callers are accepted then";
        }
        var url = SignedUrl(request);
        return TwilioSignature.IsValid(authToken, url, request.Headers[TwilioSignature.Header].ToString()) ? null
            : request.Headers.ContainsKey(TwilioSignature.Header) ? $"the {TwilioSignature.Header} does not match {url} (is PublicUrl the URL of the TwiML?)"
            : $"no {TwilioSignature.Header} header";
    }

    /// <summary>The URL Twilio signed: the configured one, else the request's as the caller saw it (through a TLS proxy).</summary>
    public string SignedUrl(HttpRequest request)
    {
        if (publicUrl is not null)
        {
            return publicUrl.GetLeftPart(UriPartial.Path) + request.QueryString.Value;
        }
        var proto = request.Headers["X-Forwarded-Proto"].ToString();
        var secure = proto.Length > 0 ? proto.Equals("https", StringComparison.OrdinalIgnoreCase) || proto.Equals("wss", StringComparison.OrdinalIgnoreCase) : request.IsHttps;
        var host = request.Headers["X-Forwarded-Host"].ToString() is { Length: > 0 } forwarded ? forwarded : request.Host.Value;
        return $"{(secure ? "wss" : "ws")}://{host}{request.PathBase}{request.Path}{request.QueryString}";
    }
}
