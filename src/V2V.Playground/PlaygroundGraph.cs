using V2V.Extension;
using V2V.Graph;
using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Playground.Sessions;

namespace V2V.Playground;

/// <summary>
/// A TEN app's graph to run behind the page (<c>v2v serve --graph</c>), one copy per browser session. The page plays
/// the part of TEN's RTC transport: every <c>agora_rtc</c> node (or the nodes bound to <c>playground_rtc</c>) is bound to
/// <c>playground_rtc</c>, keeping its connections; the other bindings replace nodes whose addon does not run here.
/// Made with <see cref="Create"/>, which checks the graph once, so a session never meets a graph that cannot start.
/// </summary>
public sealed class PlaygroundGraph
{
    /// <summary>The addon a browser tab is, in a TEN app's graph.</summary>
    public const string RtcAddon = BrowserAddons.Rtc;

    /// <summary>The addon of TEN's RTC transport, which the page stands in for unless a binding says otherwise.</summary>
    public const string TenRtcAddon = "agora_rtc";

    private PlaygroundGraph(GraphDefinition graph, AddonRegistry addons, Dictionary<string, string> bindings, IReadOnlyList<string> agentNodes)
    {
        Graph = graph;
        Addons = addons;
        Bindings = bindings;
        AgentNodes = agentNodes;
    }

    /// <summary>The graph as read (each session starts a copy with the server's agent properties laid over it).</summary>
    public GraphDefinition Graph { get; }

    /// <summary>The addons the graph may use (built-ins, openai_v2v, the app's packages); each session adds its own <c>playground_rtc</c>.</summary>
    public AddonRegistry Addons { get; }

    /// <summary>Node name to addon name: the caller's bindings and the RTC nodes' <c>playground_rtc</c>.</summary>
    public IReadOnlyDictionary<string, string> Bindings { get; }

    /// <summary>The nodes of the graph that run <c>openai_v2v</c> (under either of its names).</summary>
    public IReadOnlyList<string> AgentNodes { get; }

    /// <summary>Binds the RTC node(s) to the page and checks the graph against <paramref name="addons"/>.</summary>
    /// <param name="graph">The app's graph (one of a property.json's predefined graphs, or a bare graph).</param>
    /// <param name="addons">What its nodes may run; shared by every session, never changed.</param>
    /// <param name="bindings">Node name to addon name (<c>--bind</c>); a node bound here keeps that addon.</param>
    /// <param name="environment">Resolves <c>${env:NAME}</c> while checking; null: the process environment.</param>
    /// <exception cref="GraphValidationException">The graph cannot run here; every problem is listed, and <see cref="GraphValidationException.UnknownAddons"/> names the nodes to bind.</exception>
    public static PlaygroundGraph Create(GraphDefinition graph, AddonRegistry addons, IReadOnlyDictionary<string, string>? bindings, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(addons);
        var bound = new Dictionary<string, string>(bindings ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var node in graph.Nodes.Where(n => n.Addon == TenRtcAddon))
        {
            bound.TryAdd(node.Name, RtcAddon);
        }
        var options = new GraphHostOptions { Environment = environment };
        foreach (var (node, addon) in bound)
        {
            options.Bindings[node] = addon;
        }
        var problems = new List<string>();
        if (!bound.ContainsValue(RtcAddon))
        {
            problems.Add($"the graph has no node for the browser page: bind the node of its RTC transport with --bind NODE={RtcAddon} (nodes: {string.Join(", ", graph.Nodes.Select(n => n.Name))}).");
        }
        var unknown = new Dictionary<string, string>();
        try
        {
            new GraphHost(addons.With(BrowserAddons.RtcForValidation()), options).Validate(graph);
        }
        catch (GraphValidationException ex)
        {
            problems.AddRange(ex.Problems);
            unknown = new Dictionary<string, string>(ex.UnknownAddons);
        }
        if (problems.Count > 0)
        {
            throw new GraphValidationException(problems) { UnknownAddons = unknown };
        }
        var agents = graph.Nodes
            .Where(n => (bound.GetValueOrDefault(n.Name) ?? n.Addon) is OpenAIV2VAddon.Name or OpenAIV2VAddon.PythonName)
            .Select(n => n.Name).ToList();
        return new PlaygroundGraph(graph, addons, bound, agents);
    }
}
