using System.Text.Json.Nodes;

namespace V2V.Graph.Definition;

/// <summary>
/// One <c>per_property</c> rule of a <c>msg_conversion</c>: the property at <paramref name="Path"/> of the converted
/// message is <paramref name="Value"/> (<c>fixed_value</c>) or the original's property at
/// <paramref name="OriginalPath"/> (<c>from_original</c>).
/// </summary>
/// <param name="Path">Where the converted message gets the value.</param>
/// <param name="Value">The <c>fixed_value</c>'s value; null for <c>from_original</c>.</param>
/// <param name="OriginalPath">The <c>from_original</c>'s source; null for <c>fixed_value</c>.</param>
public sealed record ConversionRule(PropertyPath Path, JsonNode? Value, PropertyPath? OriginalPath)
{
    /// <summary>Whether the rule copies from the original message (else it sets a fixed value).</summary>
    public bool FromOriginal => OriginalPath is not null;
}
