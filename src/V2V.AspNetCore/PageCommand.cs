using System.Text.Json;

namespace V2V.AspNetCore;

/// <summary>What a page's text message asks (PROTOCOL.md, "page -> server").</summary>
internal abstract record PageCommand
{
    /// <param name="SampleRate">The microphone's rate.</param>
    /// <param name="ReportsPlayed">The page says what it played (<see cref="Played"/>): a barge-in truncates there.</param>
    /// <param name="Tools">Tools the page runs itself (the agent's calls come to it as <c>tool_call</c>).</param>
    public sealed record Start(int SampleRate, bool ReportsPlayed, IReadOnlyList<ToolSpec> Tools) : PageCommand;

    /// <summary>A tool of the page's: its name, what it does, and its parameters' JSON schema.</summary>
    public sealed record ToolSpec(string Name, string Description, JsonElement Parameters);

    /// <summary>The page's answer to a <c>tool_call</c>: its output, or the error it failed with.</summary>
    public sealed record ToolResult(string CallId, string? Output, string? Error) : PageCommand;

    /// <summary>The first message of a page's new socket that takes its session back (the token of its last <c>ready</c>).</summary>
    /// <param name="Token">The session's resume token.</param>
    /// <param name="SampleRate">The microphone's rate from now on.</param>
    public sealed record Resume(string Token, int SampleRate) : PageCommand;

    /// <summary>The page played the agent's item <paramref name="ItemId"/> up to <paramref name="Ms"/> into it.</summary>
    public sealed record Played(string ItemId, double Ms) : PageCommand;

    public sealed record Text(string Words) : PageCommand;

    public sealed record Interrupt : PageCommand;

    /// <summary>The page checks that its socket still carries: answered at once with <c>pong</c> and the same id.</summary>
    public sealed record Ping(long Id) : PageCommand;

    public sealed record Stop : PageCommand;

    public sealed record McpApproval(string RequestId, bool Approve, string? Reason) : PageCommand;

    /// <summary>A message that is none of these: <see cref="Problem"/> says what is wrong, naming the field.</summary>
    public sealed record Malformed(string Problem) : PageCommand;

    public const int MaxTextLength = 4000;
    public const int MaxRequestIdLength = 128;
    public const int MaxReasonLength = 1000;

    /// <summary>Reads one message. Fields a command does not know are ignored (a newer page); a known field of the wrong kind is not.</summary>
    public static PageCommand Parse(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!JsonDocument.TryParseValue(ref reader, out var parsed))
            {
                return new Malformed("the message is not JSON");
            }
            document = parsed;
        }
        catch (JsonException ex)
        {
            return new Malformed($"the message is not JSON ({ex.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new Malformed("a message is a JSON object with a 'type'");
            }
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return new Malformed("'type' is missing or not a string");
            }
            return type.GetString() switch
            {
                "start" => ParseStart(root),
                "resume" => ParseResume(root),
                "text" => ParseText(root),
                "interrupt" => new Interrupt(),
                "ping" => root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var ping)
                    ? new Ping(ping)
                    : new Malformed("'id' must be the ping's number (the pong brings it back)"),
                "stop" => new Stop(),
                "mcp_approval" => ParseApproval(root),
                "played" => ParsePlayed(root),
                "tool_result" => ParseToolResult(root),
                var other => new Malformed($"'type' '{Shorten(other!)}' is not one of start, resume, text, interrupt, mcp_approval, played, tool_result, ping, stop"),
            };
        }
    }

    public const int MaxTokenLength = 64;
    public const int MaxTools = 32;
    public const int MaxToolDescriptionLength = 1024;
    public const int MaxToolErrorLength = 1000;

    private static PageCommand ParseStart(JsonElement root)
    {
        if (ParseSampleRate(root) is { } bad)
        {
            return bad;
        }
        var sampleRate = root.GetProperty("sampleRate").GetInt32();
        var reportsPlayed = false;
        if (root.TryGetProperty("reportsPlayed", out var reports) && reports.ValueKind != JsonValueKind.Null)
        {
            if (reports.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return new Malformed("'reportsPlayed' must be true (the page sends 'played') or false, or left out");
            }
            reportsPlayed = reports.GetBoolean();
        }
        var tools = new List<ToolSpec>();
        if (root.TryGetProperty("tools", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.Array || given.GetArrayLength() > MaxTools)
            {
                return new Malformed($"'tools' must be a list of at most {MaxTools} tools ({{\"name\", \"description\", \"parameters\"}}), or left out");
            }
            var index = 0;
            foreach (var tool in given.EnumerateArray())
            {
                if (ParseTool(tool, $"tools[{index++}]", tools) is { } badTool)
                {
                    return badTool;
                }
            }
        }
        return new Start(sampleRate, reportsPlayed, tools);
    }

    private static PageCommand ParseResume(JsonElement root)
    {
        if (!root.TryGetProperty("token", out var given) || given.ValueKind != JsonValueKind.String || given.GetString() is not { Length: > 0 and <= MaxTokenLength } token)
        {
            return new Malformed($"'token' must be the resumeToken of the session's last 'ready', a string of 1 to {MaxTokenLength} characters");
        }
        return ParseSampleRate(root) ?? (PageCommand)new Resume(token, root.GetProperty("sampleRate").GetInt32());
    }

    /// <summary>Null when 'sampleRate' is a rate the session takes; else what is wrong with it.</summary>
    private static Malformed? ParseSampleRate(JsonElement root)
    {
        if (!root.TryGetProperty("sampleRate", out var rate) || rate.ValueKind != JsonValueKind.Number || !rate.TryGetInt32(out var sampleRate))
        {
            return new Malformed("'sampleRate' must be the microphone's rate in Hz, an integer (the AudioContext's sampleRate)");
        }
        return sampleRate is < 8000 or > 48000 ? new Malformed($"'sampleRate' is {sampleRate}; it must be from 8000 to 48000 Hz") : null;
    }

    private static Malformed? ParseTool(JsonElement tool, string at, List<ToolSpec> tools)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            return new Malformed($"'{at}' must be an object with a 'name'");
        }
        if (!tool.TryGetProperty("name", out var named) || named.ValueKind != JsonValueKind.String || named.GetString() is not { } name || !IsToolName(name))
        {
            return new Malformed($"'{at}.name' must be 1 to 64 letters, digits, '_' or '-' (as the model's tools are named)");
        }
        if (tools.Any(t => t.Name == name))
        {
            return new Malformed($"'{at}.name' '{name}' is given twice");
        }
        var description = "";
        if (tool.TryGetProperty("description", out var described) && described.ValueKind != JsonValueKind.Null)
        {
            if (described.ValueKind != JsonValueKind.String || described.GetString()!.Length > MaxToolDescriptionLength)
            {
                return new Malformed($"'{at}.description' must be a string of at most {MaxToolDescriptionLength} characters (what the tool does, for the model)");
            }
            description = described.GetString()!;
        }
        var parameters = EmptySchema;
        if (tool.TryGetProperty("parameters", out var schema) && schema.ValueKind != JsonValueKind.Null)
        {
            if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
            {
                return new Malformed($"'{at}.parameters' must be a JSON schema of type \"object\" (the tool's arguments), or left out");
            }
            parameters = schema.Clone();
        }
        tools.Add(new ToolSpec(name, description, parameters));
        return null;
    }

    private static readonly JsonElement EmptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    private static bool IsToolName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static PageCommand ParseToolResult(JsonElement root)
    {
        if (!root.TryGetProperty("callId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= MaxRequestIdLength } callId)
        {
            return new Malformed($"'callId' must be the callId of a 'tool_call', a string of 1 to {MaxRequestIdLength} characters");
        }
        if (root.TryGetProperty("error", out var failed) && failed.ValueKind != JsonValueKind.Null)
        {
            return failed.ValueKind == JsonValueKind.String && failed.GetString()!.Length <= MaxToolErrorLength
                ? new ToolResult(callId, null, failed.GetString())
                : new Malformed($"'error' must be why the tool failed, a string of at most {MaxToolErrorLength} characters, or left out");
        }
        if (!root.TryGetProperty("output", out var output) || output.ValueKind == JsonValueKind.Undefined)
        {
            return new Malformed("'output' must be the tool's result (a string as it is, any other JSON value as its JSON), or 'error' why it failed");
        }
        return new ToolResult(callId, output.ValueKind == JsonValueKind.String ? output.GetString() : output.GetRawText(), null);
    }

    /// <summary>A <c>played</c> message's fields (the playground's page sends the same).</summary>
    internal static PageCommand ParsePlayed(JsonElement root)
    {
        if (!root.TryGetProperty("itemId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= MaxRequestIdLength } itemId)
        {
            return new Malformed($"'itemId' must be the item of an 'audio_item', a string of 1 to {MaxRequestIdLength} characters");
        }
        if (!root.TryGetProperty("ms", out var ms) || ms.ValueKind != JsonValueKind.Number || !ms.TryGetDouble(out var played) || played < 0 || !double.IsFinite(played))
        {
            return new Malformed("'ms' must be how far into the item the page has played, in ms, a number of 0 or more");
        }
        return new Played(itemId, played);
    }

    private static PageCommand ParseText(JsonElement root)
    {
        if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(text.GetString()))
        {
            return new Malformed("'text' must be the user's words, a non-empty string");
        }
        var words = text.GetString()!;
        return words.Length > MaxTextLength
            ? new Malformed($"'text' is {words.Length} characters; at most {MaxTextLength}")
            : new Text(words);
    }

    private static PageCommand ParseApproval(JsonElement root)
    {
        if (!root.TryGetProperty("requestId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= MaxRequestIdLength } requestId)
        {
            return new Malformed($"'requestId' must be the request's id, a string of 1 to {MaxRequestIdLength} characters");
        }
        if (!root.TryGetProperty("approve", out var approve) || approve.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return new Malformed("'approve' must be true or false");
        }
        string? reason = null;
        if (root.TryGetProperty("reason", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.String || given.GetString()!.Length > MaxReasonLength)
            {
                return new Malformed($"'reason' must be a string of at most {MaxReasonLength} characters, or left out");
            }
            reason = given.GetString();
        }
        return new McpApproval(requestId, approve.GetBoolean(), reason);
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
