using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Mcp;

/// <summary>
/// The JSON-RPC response to one request, read from the body of its POST as MCP's Streamable HTTP transport allows
/// it: plain JSON (<c>application/json</c>), or a server-sent event stream (<c>text/event-stream</c>) whose
/// <c>data:</c> lines carry messages, the server's own notifications and requests before the response among them.
/// Whatever is not the response to the request is passed over.
/// </summary>
internal static class McpResponseReader
{
    public static async Task<JsonObject> ReadAsync(HttpContent content, long id, long maxBytes, CancellationToken cancellationToken)
    {
        var mediaType = content.Headers.ContentType?.MediaType;
        using var body = new SizeLimitedStream(await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), maxBytes);
        return mediaType switch
        {
            "application/json" => FromJson(await ReadAllAsync(body, cancellationToken).ConfigureAwait(false), id)
                ?? throw McpRemoteError.Malformed($"The MCP server's answer holds no response to request {id}."),
            "text/event-stream" => await FromEventStreamAsync(body, id, cancellationToken).ConfigureAwait(false),
            _ => throw McpRemoteError.Malformed($"The MCP server answered '{mediaType ?? "no content type"}', neither application/json nor text/event-stream."),
        };
    }

    private static async Task<JsonObject> FromEventStreamAsync(Stream body, long id, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                // An empty line ends an event. Events without data (a stream's first, which primes a reconnection) carry nothing.
                if (data.Length > 0 && FromJson(data.ToString(), id) is { } response)
                {
                    return response;
                }

                data.Clear();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var value = line.AsSpan(5);
                if (data.Length > 0)
                {
                    data.Append('\n');
                }

                data.Append(value.Length > 0 && value[0] == ' ' ? value[1..] : value);
            }

            // Comments (':'), event names, ids and retry times say nothing of the response.
        }

        return (data.Length > 0 ? FromJson(data.ToString(), id) : null)
            ?? throw McpRemoteError.Malformed($"The MCP server's event stream ended without the response to request {id}.");
    }

    /// <summary>The response to <paramref name="id"/> among the message(s) of <paramref name="json"/>, or null when it is not there.</summary>
    private static JsonObject? FromJson(string json, long id)
    {
        JsonNode? message;
        try
        {
            message = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw McpRemoteError.Malformed($"The MCP server's answer is not JSON ({e.Message}).");
        }

        IEnumerable<JsonNode?> messages = message is JsonArray batch ? batch : [message];
        return messages.OfType<JsonObject>().FirstOrDefault(m => Answers(m, id));
    }

    private static bool Answers(JsonObject message, long id) =>
        (message.ContainsKey("result") || message.ContainsKey("error"))
        && message["id"] is JsonValue value
        && ((value.TryGetValue<long>(out var number) && number == id) || (value.TryGetValue<string>(out var text) && text == id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static async Task<string> ReadAllAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}
