using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Responses;

/// <summary>
/// How the local agent calls a tool: when the user's text names it. Its required string parameters get the rest of
/// the text after the name ("get_weather Paris" gives <c>{"city":"Paris"}</c>); other parameters are left out.
/// The same rule for function tools and for remote MCP tools.
/// </summary>
internal static class ToolMention
{
    /// <summary>The text after <paramref name="name"/> in <paramref name="text"/>, or null when the text does not name it.</summary>
    public static string? RestAfter(string text, string name)
    {
        var at = text.IndexOf(name, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? null : text[(at + name.Length)..].Trim(' ', '.', '?', '!', ',', ':');
    }

    /// <summary>The call's arguments as JSON: <paramref name="rest"/> for each required string parameter of <paramref name="schema"/>.</summary>
    public static string Arguments(string rest, JsonNode? schema)
    {
        var arguments = new JsonObject();
        if ((schema as JsonObject)?["required"] is JsonArray required)
        {
            foreach (var parameter in required.Select(r => r is JsonValue v && v.TryGetValue<string>(out var name) ? name : null).OfType<string>())
            {
                if (TakesText((schema!["properties"] as JsonObject)?[parameter]))
                {
                    arguments[parameter] = rest;
                }
            }
        }

        return arguments.ToJsonString(WireJson.SerializerOptions);
    }

    /// <summary>A parameter of type string (alone, or among types, as a nullable one is), or of no type given.</summary>
    private static bool TakesText(JsonNode? parameter) => (parameter as JsonObject)?["type"] switch
    {
        null => true,
        JsonValue type => IsString(type),
        JsonArray types => types.Any(IsString),
        _ => false,
    };

    private static bool IsString(JsonNode? type) => type is JsonValue value && value.TryGetValue<string>(out var name) && name == "string";
}
