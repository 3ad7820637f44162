using System.Text.Json.Nodes;
using V2V.Graph.Definition;

namespace V2V.Graph.Validation;

/// <summary>
/// Replaces nodes' addons before validation (the CLI's <c>--bind NODE=ADDON</c>): the node keeps its name and its
/// connections, so a graph written for TEN's <c>agora_rtc</c> runs with the WAV source and sink, or the browser's audio,
/// in its place. The node's properties were written for the former addon: only those the new addon's manifest declares
/// are kept (a <c>--set</c> on the node is among them), the rest are left out with a note.
/// </summary>
public static class NodeBinder
{
    /// <summary>The graph with the bindings applied; problems for bindings that name no node.</summary>
    public static GraphDefinition Bind(GraphDefinition graph, AddonRegistry registry, IReadOnlyDictionary<string, string>? bindings, List<string> problems, List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(notes);
        if (bindings is null || bindings.Count == 0)
        {
            return graph;
        }
        foreach (var node in bindings.Keys.Where(n => graph.Nodes.All(g => g.Name != n)))
        {
            problems.Add($"--bind {node}={bindings[node]}: the graph has no node '{node}' (nodes: {string.Join(", ", graph.Nodes.Select(n => n.Name))}).");
        }
        var nodes = graph.Nodes.Select(node => Rebind(node, bindings, registry, notes)).ToList();
        return new GraphDefinition(graph.Name, nodes, graph.Routes) { AutoStart = graph.AutoStart };
    }

    private static GraphNode Rebind(GraphNode node, IReadOnlyDictionary<string, string> bindings, AddonRegistry registry, List<string> notes)
    {
        if (!bindings.TryGetValue(node.Name, out var addonName) || addonName == node.Addon)
        {
            return node;
        }
        if (!registry.TryGet(addonName, out var addon))
        {
            // Validation reports the unknown addon under the node's name, as for any other.
            return node with { Addon = addonName };
        }
        var kept = new JsonObject();
        var left = new List<string>();
        foreach (var (name, value) in node.Property)
        {
            if (addon.Manifest.PropertyTypes.ContainsKey(name))
            {
                kept[name] = value?.DeepClone();
            }
            else
            {
                left.Add(name);
            }
        }
        if (left.Count > 0)
        {
            notes.Add($"node '{node.Name}' is bound to '{addonName}' (was '{node.Addon}'); its properties {string.Join(", ", left)} were written for '{node.Addon}' and are left out.");
        }
        return node with { Addon = addonName, Property = kept };
    }
}
