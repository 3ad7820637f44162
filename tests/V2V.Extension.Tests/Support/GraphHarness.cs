using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Graph;
using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Simulator;

namespace V2V.Extension.Tests.Support;

/// <summary>
/// A real graph around openai_v2v: a WAV source (or none), the extension talking to the local realtime
/// server over loopback, the time tool, a transcript collector and a probe at the end.
/// </summary>
internal sealed class GraphHarness : IAsyncDisposable
{
    private readonly ConcurrentBag<ProbeSink> _probes = [];

    public LocalRealtimeServer Server { get; private set; } = null!;

    public RunningGraph Graph { get; private set; } = null!;

    public ConcurrentQueue<JsonElement> ClientEvents { get; } = new();

    public ProbeSink Probe => _probes.Single();

    /// <summary>The text source, when the graph has one.</summary>
    public TextSource? Text { get; private set; }

    public string Folder { get; } = Directory.CreateTempSubdirectory("v2v-graph-").FullName;

    /// <param name="extend">Changes the graph before it starts (nodes, connections): a test's own nodes and routes.</param>
    /// <param name="addons">The addons of the test's own nodes.</param>
    /// <param name="loggerFactory">Where the graph's extensions log.</param>
    /// <param name="v2vTools">The host's own functions, given to the openai_v2v addon.</param>
    /// <param name="server">Changes the local server's options before it starts (its faults).</param>
    public static async Task<GraphHarness> StartAsync(string? wavPath, JsonObject v2vProperties, double speed = 20, bool realtimeSource = false, string? textSource = null, ResponsePace pace = ResponsePace.Service,
        Action<JsonArray, JsonArray>? extend = null, IEnumerable<Ten.ExtensionAddon>? addons = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null,
        IReadOnlyList<Microsoft.Extensions.AI.AIFunction>? v2vTools = null, Action<LocalRealtimeServerOptions>? server = null)
    {
        var harness = new GraphHarness();
        // Beta is spoken only by Azure's preview endpoint (OpenAI retired it): a beta graph talks to a server of
        // that profile, at its path.
        var beta = v2vProperties["dialect"]?.GetValue<string>() == "beta";
        var serverOptions = new LocalRealtimeServerOptions
        {
            Profile = beta ? ServiceProfile.AzurePreview : ServiceProfile.OpenAi,
            SpeedFactor = speed,
            Pace = pace,
            ClientEventObserver = e => harness.ClientEvents.Enqueue(e.Clone()),
        };
        server?.Invoke(serverOptions);
        harness.Server = await LocalRealtimeServer.StartAsync(serverOptions, TestContext.Current.CancellationToken);
        v2vProperties["base_uri"] = harness.Server.BaseUri.ToString();
        if (beta)
        {
            v2vProperties["path"] = harness.Server.ExampleUri.PathAndQuery;
        }
        var registry = new AddonRegistry().AddBuiltIns().Add(OpenAIV2VAddon.Create(tools: v2vTools)).Add(ProbeSink.Addon(harness._probes));
        if (textSource is not null)
        {
            harness.Text = new TextSource(textSource);
            registry.Add(harness.Text.Addon());
        }
        foreach (var addon in addons ?? [])
        {
            registry.Add(addon);
        }
        var graph = global::V2V.Graph.Definition.GraphJson.Parse(harness.BuildGraphJson(wavPath, v2vProperties, realtimeSource, textSource is not null, extend));
        var options = new GraphHostOptions();
        if (loggerFactory is not null)
        {
            options.LoggerFactory = loggerFactory;
        }
        harness.Graph = await new GraphHost(registry, options).StartAsync(graph, TestContext.Current.CancellationToken);
        return harness;
    }

    /// <summary>The client events of a type, as the server received them.</summary>
    public IReadOnlyList<JsonElement> Sent(string type) => [.. ClientEvents.Where(e => e.GetProperty("type").GetString() == type)];

    /// <summary>Waits until the server has received a client event of <paramref name="type"/> that satisfies <paramref name="condition"/>.</summary>
    public async Task WaitForSentAsync(string type, Func<JsonElement, bool> condition, string what, int guardSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(guardSeconds);
        while (!Sent(type).Any(condition))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Waited {guardSeconds} s for the server to receive {what}.");
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public async Task WaitForAsync(Func<ProbeSink, bool> condition, string what, int guardSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(guardSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (_probes.Count == 1 && condition(Probe))
            {
                return;
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        var texts = _probes.Count == 1 ? string.Join("\n", Probe.Texts.Select(t => t.Properties.ToJsonString())) : "(no probe)";
        throw new TimeoutException($"Waited {guardSeconds} s for {what}. text_data so far:\n{texts}");
    }

    /// <summary>The agent's turns as TEN's message collector publishes them: its pieces joined up to each closing one.</summary>
    public static List<(string Text, bool Interrupted)> AssistantTurns(ProbeSink probe)
    {
        var turns = new List<(string, bool)>();
        var text = new System.Text.StringBuilder();
        foreach (var piece in probe.Texts.Where(t => t.GetString("role") == "assistant"))
        {
            text.Append(piece.GetString("text"));
            if (piece.GetBool("end_of_segment") == true)
            {
                turns.Add((text.ToString(), piece.GetBool("interrupted") == true));
                text.Clear();
            }
        }
        return turns;
    }

    public static bool AssistantTurnsClosed(ProbeSink probe, int count) =>
        probe.Texts.Count(t => t.GetString("role") == "assistant" && t.GetBool("is_final") == true) >= count;

    public async ValueTask DisposeAsync()
    {
        await Graph.DisposeAsync();
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    private string BuildGraphJson(string? wavPath, JsonObject v2v, bool realtime, bool withText, Action<JsonArray, JsonArray>? extend)
    {
        var nodes = new JsonArray
        {
            new JsonObject { ["type"] = "extension", ["name"] = "v2v", ["addon"] = "openai_v2v", ["property"] = v2v },
            new JsonObject { ["type"] = "extension", ["name"] = "probe", ["addon"] = ProbeSink.AddonName },
            new JsonObject { ["type"] = "extension", ["name"] = "time", ["addon"] = "time_tool" },
            new JsonObject { ["type"] = "extension", ["name"] = "transcript", ["addon"] = "transcript_collector", ["property"] = new JsonObject { ["path"] = Path.Combine(Folder, "transcript.jsonl") } },
        };
        var connections = new JsonArray
        {
            new JsonObject
            {
                ["extension"] = "v2v",
                ["cmd"] = new JsonArray(Route("flush", "probe"), Route("tool_call", "time")),
                ["data"] = new JsonArray(Route("text_data", "probe", "transcript"), Route("session_event", "probe"), Route("error", "probe")),
                ["audio_frame"] = new JsonArray(Route("pcm_frame", "probe")),
            },
            new JsonObject { ["extension"] = "time", ["cmd"] = new JsonArray(Route("tool_register", "v2v")) },
        };
        if (wavPath is not null)
        {
            nodes.Add(new JsonObject
            {
                ["type"] = "extension", ["name"] = "source", ["addon"] = "wav_file_source",
                ["property"] = new JsonObject { ["path"] = wavPath, ["realtime"] = realtime, ["trailing_silence_ms"] = 1000, ["stream_id"] = 77 },
            });
            connections.Add(new JsonObject
            {
                ["extension"] = "source",
                ["cmd"] = new JsonArray(Route("on_user_joined", "v2v")),
                ["audio_frame"] = new JsonArray(Route("pcm_frame", "v2v")),
            });
        }
        if (withText)
        {
            nodes.Add(new JsonObject { ["type"] = "extension", ["name"] = "text", ["addon"] = TextSource.AddonName });
            connections.Add(new JsonObject { ["extension"] = "text", ["data"] = new JsonArray(Route("text_data", "v2v")), ["cmd"] = new JsonArray(Route("on_user_joined", "v2v"), Route("mcp_approval", "v2v")) });
        }
        extend?.Invoke(nodes, connections);
        return new JsonObject { ["nodes"] = nodes, ["connections"] = connections }.ToJsonString();
    }

    public static JsonObject Route(string name, params string[] destinations) => new()
    {
        ["name"] = name,
        ["dest"] = new JsonArray([.. destinations.Select(d => (JsonNode)new JsonObject { ["extension"] = d })]),
    };
}
