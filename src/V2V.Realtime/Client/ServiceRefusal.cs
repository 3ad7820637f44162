using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace V2V.Realtime.Client;

/// <summary>
/// What the server said when it refused a request (the WebSocket handshake, or a REST call such as making a client
/// secret): its reason (the <c>error.message</c> of an OpenAI or Azure OpenAI body, else the body's first line), its
/// error code, the field it refused (<c>error.param</c>), and the wait it asked for in <c>Retry-After</c>. The reason is
/// cut to a readable length and has anything that looks like a key masked.
/// </summary>
internal sealed record ServiceRefusal(string? Reason, string? Code, TimeSpan? RetryAfter, string? Param = null)
{
    /// <summary>The longest reason kept: a line a user reads, not a page of HTML.</summary>
    public const int MaxReasonLength = 300;

    /// <summary>Reads the refusal from the status line's headers and the body's bytes (at most what was read of it).</summary>
    public static ServiceRefusal Read(HttpResponseHeaders headers, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var (reason, code, param) = ReasonOf(body);
        return new ServiceRefusal(reason is null ? null : Shorten(SecretRedactor.RedactKeys(reason)), code, WaitOf(headers.RetryAfter, now), param);
    }

    // Retry-After is either a number of seconds or an HTTP date (RFC 9110 §10.2.3).
    private static TimeSpan? WaitOf(RetryConditionHeaderValue? retryAfter, DateTimeOffset now) => retryAfter switch
    {
        { Delta: { } delta } when delta >= TimeSpan.Zero => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    private static (string? Reason, string? Code, string? Param) ReasonOf(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, null, null);
        }
        try
        {
            using var json = JsonDocument.Parse(body.ToArray());
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                return (message.GetString(), StringOf(error, "code"), StringOf(error, "param"));
            }
        }
        catch (JsonException)
        {
            // Not JSON (an HTML page of a proxy, plain text): its first line is the reason.
        }
        var text = Encoding.UTF8.GetString(body).Trim();
        var lineEnd = text.IndexOfAny(['\r', '\n']);
        return (lineEnd < 0 ? text : text[..lineEnd], null, null);
    }

    private static string? StringOf(JsonElement error, string name) =>
        error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string reason) =>
        reason.Length <= MaxReasonLength ? reason : string.Concat(reason.AsSpan(0, MaxReasonLength - 3), "...");
}
