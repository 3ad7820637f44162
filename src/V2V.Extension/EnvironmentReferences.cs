using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace V2V.Extension;

/// <summary>The environment variables a property.json value refers to (<c>${env:NAME}</c>, <c>${env:NAME|default}</c>).</summary>
internal static partial class EnvironmentReferences
{
    [GeneratedRegex(@"\$\{env:([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Reference();

    public static IReadOnlyList<string> In(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var text) ? [.. Reference().Matches(text).Select(m => m.Groups[1].Value)] : [];
}
