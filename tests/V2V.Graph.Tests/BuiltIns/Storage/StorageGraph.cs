using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Graph.BuiltIns.Storage;
using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Graph.Tests.Support;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.BuiltIns.Storage;

/// <summary>
/// Graphs where probes stand for <c>openai_v2v</c>: each probe sends <c>append</c> and <c>retrieve</c> to its own
/// <c>sqlite_storage</c> node, as a v2v graph with <c>enable_storage</c> routes them.
/// </summary>
public static class StorageGraph
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts probe <c>v2v</c> wired to storage node <c>storage</c> with the given properties.</summary>
    public static Task<RunningGraph> StartAsync(string storageProperties, ILoggerFactory? logs = null) =>
        StartAsync([("v2v", "storage", storageProperties)], logs);

    /// <summary>Starts one probe and one storage node per pair.</summary>
    public static Task<RunningGraph> StartAsync(IReadOnlyList<(string Probe, string Storage, string Properties)> pairs, ILoggerFactory? logs = null)
    {
        var nodes = pairs.SelectMany(p => new[]
        {
            $$"""{ "name": "{{p.Probe}}", "addon": "probe" }""",
            $$"""{ "name": "{{p.Storage}}", "addon": "sqlite_storage", "property": {{p.Properties}} }""",
        });
        var connections = pairs.Select(p => $$"""
            { "extension": "{{p.Probe}}",
              "cmd": [ { "name": "retrieve", "dest": [ { "extension": "{{p.Storage}}" } ] } ],
              "data": [ { "name": "append", "dest": [ { "extension": "{{p.Storage}}" } ] } ] }
            """);
        var json = $$"""{ "nodes": [ {{string.Join(", ", nodes)}} ], "connections": [ {{string.Join(", ", connections)}} ] }""";
        // Added here until the built-ins register it, and then taken from them.
        var registry = TestGraph.Registry(new Journal());
        if (!registry.TryGet(SqliteStorage.AddonName, out _))
        {
            registry.Add(SqliteStorage.Addon());
        }
        var host = new GraphHost(
            registry,
            new GraphHostOptions { LoggerFactory = logs ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance });
        return host.StartAsync(GraphJson.Parse(json), Ct);
    }

    /// <summary>The properties of a storage node on <paramref name="path"/>, plus any more (JSON members).</summary>
    public static string Properties(string path, string more = "") =>
        $$"""{ "path": "{{path}}"{{(more.Length > 0 ? ", " + more : "")}} }""";

    public static DataMessage Append(string? text, string? role, JsonNode? streamId = null)
    {
        var data = new DataMessage("append");
        data.Set("text", text);
        data.Set("role", role);
        if (streamId is not null)
        {
            data.Set("stream_id", streamId);
        }
        return data;
    }

    /// <summary>Sends the appends, waits until the graph has handled them (cmds overtake queued data), then retrieves.</summary>
    public static async Task<CmdResult> AppendThenRetrieveAsync(this RunningGraph graph, string probe, params DataMessage[] appends)
    {
        var env = await graph.Get<Probe>(probe).Env;
        foreach (var append in appends)
        {
            await env.SendDataAsync(append, Ct);
        }
        await graph.WhenIdleAsync(TimeSpan.Zero, Ct);
        return await env.SendCmdAsync(new Cmd("retrieve"), Ct);
    }

    /// <summary>The turns of an OK retrieve as (role, input, stream_id).</summary>
    public static IReadOnlyList<(string Role, string Input, long StreamId)> Turns(CmdResult result)
    {
        Assert.Equal(StatusCode.Ok, result.Status);
        var list = Assert.IsType<JsonArray>(JsonNode.Parse(result.GetString("response")!));
        return [.. list.Select(t => (t!["role"]!.GetValue<string>(), t["input"]!.GetValue<string>(), t["stream_id"]!.GetValue<long>()))];
    }
}
