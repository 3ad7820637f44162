using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Extension.Tools;

/// <summary>
/// A <c>tool_register</c> cmd as a <see cref="TenTool"/>: an AIFunction whose calls go back to the graph as
/// <c>tool_call</c>, handed to the voice session as any .NET function is. Two forms are read: ten_ai_base's (a <c>tool</c>
/// property: an object, or the JSON text of one as <c>AsyncLLMToolBaseExtension</c> sends it, with <c>name</c>,
/// <c>description</c> and <c>parameters</c> as a list of <c>{name, type, description, required}</c>), and the older
/// one (the string properties <c>name</c>, <c>description</c> and <c>parameters</c>, a JSON schema as text).
/// </summary>
internal static class TenToolRegistration
{
    /// <summary>The tool, calling through <paramref name="env"/>, or the reason the cmd does not describe one (naming the property at fault).</summary>
    public static (TenTool? Tool, string? Error) Read(Cmd cmd, ITenEnv env)
    {
        var tool = cmd.Properties["tool"];
        var (found, error) = tool is null ? ReadStrings(cmd) : ReadToolObject(tool);
        return found is { } d ? (new TenTool(env, d.Name, d.Description, d.Parameters), null) : (null, error);
    }

    private static (Declaration?, string?) ReadToolObject(JsonNode node)
    {
        JsonObject? tool;
        try
        {
            tool = node.GetValueKind() == JsonValueKind.String ? JsonNode.Parse(node.GetValue<string>()) as JsonObject : node as JsonObject;
        }
        catch (JsonException ex)
        {
            return (null, $"tool_register: property 'tool' is text but not JSON: {ex.Message}");
        }
        if (tool is null)
        {
            return (null, "tool_register: property 'tool' must be an object {name, description, parameters}.");
        }
        var name = Text(tool["name"]);
        if (string.IsNullOrWhiteSpace(name))
        {
            return (null, "tool_register: 'tool.name' is missing; the tool needs a name.");
        }
        var parameters = tool["parameters"];
        var schema = parameters switch
        {
            null => Schema([]),
            JsonArray list => Schema(list),
            JsonObject given => given,
            _ => null,
        };
        return schema is null
            ? (null, $"tool_register '{name}': 'tool.parameters' must be a list of {{name, type, description, required}}.")
            : (new Declaration(name, Text(tool["description"]) ?? "", JsonSerializer.SerializeToElement(schema)), null);
    }

    // As the original builds it from ten_ai_base's LLMToolMetadata: each parameter a property, the required ones listed.
    private static JsonObject Schema(JsonArray parameters)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var parameter in parameters.OfType<JsonObject>())
        {
            if (Text(parameter["name"]) is not { Length: > 0 } name)
            {
                continue;
            }
            var property = new JsonObject { ["type"] = Text(parameter["type"]) ?? "string", ["description"] = Text(parameter["description"]) ?? "" };
            if (parameter["items"] is JsonObject items && items.Count > 0)
            {
                property["items"] = items.DeepClone();
            }
            properties[name] = property;
            if (parameter["required"] is JsonValue r && r.TryGetValue<bool>(out var isRequired) && isRequired)
            {
                required.Add(name);
            }
        }
        return new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = required, ["additionalProperties"] = false };
    }

    private static (Declaration?, string?) ReadStrings(Cmd cmd)
    {
        var name = cmd.GetString("name");
        var description = cmd.GetString("description");
        var parameters = cmd.GetString("parameters");
        if (string.IsNullOrWhiteSpace(name) || description is null || parameters is null)
        {
            return (null, "tool_register needs either the property 'tool' (an object {name, description, parameters: [{name, type, description, required}]}, "
                + "as ten_ai_base sends it) or the string properties name, description and parameters (a JSON schema as a string).");
        }
        JsonElement schema;
        try
        {
            schema = JsonDocument.Parse(parameters).RootElement;
        }
        catch (JsonException ex)
        {
            return (null, $"tool_register '{name}': parameters must be a JSON schema as a string: {ex.Message}");
        }
        return schema.ValueKind == JsonValueKind.Object
            ? (new Declaration(name, description, schema), null)
            : (null, $"tool_register '{name}': parameters must be a JSON object schema, got {schema.ValueKind}.");
    }

    private sealed record Declaration(string Name, string Description, JsonElement Parameters);

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
