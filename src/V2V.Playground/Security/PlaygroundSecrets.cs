using System.Text.Json.Nodes;
using V2V.AspNetCore;

namespace V2V.Playground.Security;

/// <summary>
/// The secrets among the agents' resolved properties (<c>api_key</c>, <c>mcp_authorization</c>, the tokens of
/// <c>mcp_servers</c>), for the <see cref="SecretMask"/> of every JSON event to a page.
/// </summary>
internal static class PlaygroundSecrets
{
    /// <summary>The agent properties that hold a secret.</summary>
    public static IReadOnlyList<string> SecretProperties { get; } = ["api_key", "mcp_authorization"];

    /// <summary>
    /// The secrets of agents' resolved properties: <see cref="SecretProperties"/> that are strings, and the
    /// <c>authorization</c> of each server of <c>mcp_servers</c> (a list: resolved properties hold it parsed, as the
    /// manifest declares it, even when it was given as JSON text).
    /// </summary>
    public static SecretMask Of(IEnumerable<JsonObject> resolvedAgents)
    {
        ArgumentNullException.ThrowIfNull(resolvedAgents);
        return new(resolvedAgents.SelectMany(agent => SecretProperties.Select(name => TextOf(agent[name]))
            .Concat((agent["mcp_servers"] as JsonArray ?? []).Select(server => TextOf(server?["authorization"])))));
    }

    private static string? TextOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text.Trim() : null;
}
