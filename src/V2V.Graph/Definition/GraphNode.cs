using System.Text.Json.Nodes;

namespace V2V.Graph.Definition;

/// <summary>
/// A node of a graph: an extension instance named <paramref name="Name"/>, made by the addon
/// <paramref name="Addon"/>, with the properties of the graph (they overlay the addon's property.json).
/// </summary>
/// <param name="Name">The instance name, unique in the graph; connections refer to it.</param>
/// <param name="Addon">The addon name, e.g. <c>openai_v2v</c>.</param>
/// <param name="ExtensionGroup">TEN's thread group; kept for fidelity, the host gives every extension its own actor anyway.</param>
/// <param name="Property">The node's properties (may hold <c>${env:NAME}</c>); <c>--set</c> overrides write here.</param>
public sealed record GraphNode(string Name, string Addon, string? ExtensionGroup, JsonObject Property);
