using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Responses;
using V2V.Simulator.Tests.Schema;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Mcp;

/// <summary>What the MCP tests share: an mcp tool's JSON, a session that lists it, a question, and the schema's word on all that was sent.</summary>
internal static class McpSessions
{
    public const string Label = "kitchen";

    /// <summary>An mcp tool of the session for <paramref name="url"/>; <paramref name="requireApproval"/> null leaves the service's default.</summary>
    public static JsonObject Tool(Uri url, string? requireApproval = "never", string? authorization = null, JsonNode? allowedTools = null, string label = Label)
    {
        var tool = new JsonObject { ["type"] = "mcp", ["server_label"] = label, ["server_url"] = url.ToString() };
        if (requireApproval is not null)
        {
            tool["require_approval"] = requireApproval;
        }

        if (authorization is not null)
        {
            tool["authorization"] = authorization;
        }

        if (allowedTools is not null)
        {
            tool["allowed_tools"] = allowedTools;
        }

        return tool;
    }

    public static JsonObject Update(params JsonObject[] tools) => new()
    {
        ["type"] = "session.update",
        ["session"] = new JsonObject { ["type"] = "realtime", ["tools"] = new JsonArray(tools.Select(t => t.DeepClone()).ToArray()) },
    };

    /// <summary>A GA session given <paramref name="tool"/>: the client, and the events up to the listing's end (<paramref name="until"/>).</summary>
    public static async Task<(RealtimeTestClient Client, List<JsonObject> Events)> ListAsync(LocalRealtimeServer server, JsonObject tool, string until = "mcp_list_tools.completed")
    {
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await client.SendAsync(Update(tool));
        return (client, await client.UntilAsync(until));
    }

    /// <summary>A user text, then <c>response.create</c>: the events up to <c>response.done</c>.</summary>
    public static async Task<List<JsonObject>> AskAsync(RealtimeTestClient client, string text)
    {
        await client.SendAsync(ConversationHelpers.UserText(text));
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        return await client.UntilAsync("response.done");
    }

    /// <summary>
    /// Reads up to the answer to a marker event (<c>input_audio_buffer.clear</c>) sent now: what the server sent before
    /// it, which is all it sends at once in answer to what came before (events leave in the order they were caused), but
    /// not what waits on another server (a listing's end).
    /// </summary>
    public static async Task<List<JsonObject>> UntilQuietAsync(RealtimeTestClient client)
    {
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.clear" });
        var events = await client.UntilAsync("input_audio_buffer.cleared");
        return events[..^1];
    }

    /// <summary>The spoken answer's transcript in <paramref name="events"/>.</summary>
    public static string Transcript(IEnumerable<JsonObject> events) =>
        events.OfType("response.output_audio_transcript.done").Single().Str("transcript");

    /// <summary>Every event the client received passes the GA schema, and has every field of the service's documented example of its type.</summary>
    public static void AssertEveryEventFollowsTheSchema(RealtimeTestClient client)
    {
        var problems = client.Received.SelectMany(ProtocolSchemaValidator.Ga.Validate).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
        var missing = client.Received.SelectMany(DocumentedExamples.Ga.MissingFields).Distinct().ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    /// <summary>An http URL on loopback where nothing listens: a port just taken from the system, then let go.</summary>
    public static Uri UnreachableUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/mcp");
    }

    /// <summary>The event types of <paramref name="events"/>, deltas left out (how many come is the pace's business).</summary>
    public static List<string> TypesWithoutDeltas(IEnumerable<JsonObject> events) =>
        events.Select(e => e.Type()).Where(t => !t.EndsWith(".delta", StringComparison.Ordinal)).ToList();
}
