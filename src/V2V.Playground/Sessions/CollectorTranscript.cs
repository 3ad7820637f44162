using System.Text.Json.Nodes;

namespace V2V.Playground.Sessions;

/// <summary>
/// Turns the message collector's messages (<c>{text, is_final, stream_id, role?}</c>, decoded from its chunks) into
/// the page's <c>transcript</c> events. The collector sends each turn's whole text so far; the page appends the
/// agent's pieces and replaces the user's text, so the agent's text goes out as what is new since the last message.
/// </summary>
internal sealed class CollectorTranscript
{
    private string _assistantSoFar = "";

    /// <summary>The page's event for one collector message, or null when it adds nothing to show.</summary>
    public byte[]? Next(JsonObject message)
    {
        var text = Text(message, "text");
        var final = IsFinal(message);
        if (RoleOf(message) != "assistant")
        {
            return PageMessages.Transcript("user", text, final, interrupted: false);
        }
        var added = text.StartsWith(_assistantSoFar, StringComparison.Ordinal) ? text[_assistantSoFar.Length..] : text;
        _assistantSoFar = final ? "" : text;
        return added.Length == 0 && !final ? null : PageMessages.Transcript("assistant", added, final, interrupted: false);
    }

    /// <summary>Who speaks in a collector message: its <c>role</c>, else TEN's convention (stream 0 is the agent's, any other a user's).</summary>
    public static string RoleOf(JsonObject message) =>
        Text(message, "role") is { Length: > 0 } r ? r
            : message["stream_id"] is JsonValue s && s.TryGetValue<long>(out var stream) && stream != 0 ? "user" : "assistant";

    /// <summary>Whether a collector message ends its turn's text.</summary>
    public static bool IsFinal(JsonObject message) => message["is_final"] is JsonValue f && f.TryGetValue<bool>(out var isFinal) && isFinal;

    public static string Text(JsonObject message, string name) =>
        message[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : "";
}
