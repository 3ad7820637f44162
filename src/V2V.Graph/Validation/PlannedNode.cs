using System.Text.Json.Nodes;
using V2V.Ten;

namespace V2V.Graph.Validation;

/// <summary>A node that passed validation: its addon and its resolved, type-checked properties.</summary>
/// <param name="Name">The instance name.</param>
/// <param name="Addon">The addon that makes it.</param>
/// <param name="Properties">property.json defaults overlaid by the node's, <c>${env:}</c> resolved, checked against the manifest.</param>
public sealed record PlannedNode(string Name, ExtensionAddon Addon, JsonObject Properties);
