using System.Text.Json;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Scripting;

/// <summary>
/// A scripted session: the n-th response of a connection follows the n-th entry; once the script is used up,
/// the echo agent answers. The JSON form:
/// <code>
/// { "responses": [
///     { "text": "Hello, how can I help?", "audio_ms": 1200 },
///     { "function_call": { "name": "get_weather", "arguments": { "city": "Paris" } } },
///     { "text": "It is sunny in Paris." },
///     { "echo": true } ] }
/// </code>
/// </summary>
public sealed class SimulatorScript
{
    /// <summary>The responses, in order.</summary>
    public IReadOnlyList<ScriptedResponse> Responses { get; init; } = [];

    /// <summary>Reads a script file.</summary>
    /// <exception cref="FormatException">The file is not a valid script; the message names the entry.</exception>
    public static SimulatorScript Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path));
    }

    /// <summary>Parses a script from its JSON text.</summary>
    /// <exception cref="FormatException">The text is not a valid script; the message names the entry.</exception>
    public static SimulatorScript Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (!document.RootElement.TryGetProperty("responses", out var responses) || responses.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("A script needs a \"responses\" array.");
            }

            var list = new List<ScriptedResponse>();
            var index = 0;
            foreach (var entry in responses.EnumerateArray())
            {
                list.Add(ParseEntry(entry, index++));
            }

            return new SimulatorScript { Responses = list };
        }
        catch (JsonException e)
        {
            throw new FormatException($"The script is not valid JSON: {e.Message}", e);
        }
    }

    private static ScriptedResponse ParseEntry(JsonElement entry, int index)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"responses[{index}] must be an object.");
        }

        string? name = null;
        var arguments = "{}";
        if (entry.TryGetProperty("function_call", out var call))
        {
            name = call.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (string.IsNullOrEmpty(name))
            {
                throw new FormatException($"responses[{index}].function_call.name is required.");
            }

            if (call.TryGetProperty("arguments", out var a))
            {
                // Compact, as a model writes arguments.
                arguments = a.ValueKind == JsonValueKind.String ? a.GetString()! : System.Text.Json.Nodes.JsonNode.Parse(a.GetRawText())!.ToJsonString(WireJson.SerializerOptions);
            }
        }

        var audioMs = entry.TryGetProperty("audio_ms", out var ms) ? ms.GetInt32() : 0;
        if (audioMs < 0)
        {
            throw new FormatException($"responses[{index}].audio_ms must not be negative.");
        }

        return new ScriptedResponse
        {
            Text = entry.TryGetProperty("text", out var t) ? t.GetString() : null,
            AudioMs = audioMs,
            Echo = entry.TryGetProperty("echo", out var e) && e.GetBoolean(),
            FunctionName = name,
            FunctionArguments = arguments,
        };
    }
}
