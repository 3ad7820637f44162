using System.Text;
using System.Text.Json.Nodes;
using V2V.Playground.Backend;
using V2V.Ten.Messages;

namespace V2V.Playground.Sessions;

/// <summary>
/// The JSON events the server sends to the page, written in one place (see wwwroot/PROTOCOL.md). Each returns UTF-8
/// bytes ready for <see cref="PageWriter.SendJsonAsync"/>. None of them is on the audio path.
/// </summary>
internal static class PageMessages
{
    /// <summary><c>ready</c>: the session's graph runs; audio that follows is pcm16 mono at <paramref name="outputSampleRate"/>.</summary>
    public static byte[] Ready(string sessionId, BackendInfo backend, int outputSampleRate) => Write(new JsonObject
    {
        ["type"] = "ready",
        ["session"] = sessionId,
        ["backend"] = backend.Kind,
        ["model"] = backend.Model,
        ["description"] = backend.Describe(),
        ["outputSampleRate"] = outputSampleRate,
    });

    /// <summary><c>transcript</c>, from the extension's <c>text_data</c>.</summary>
    public static byte[] Transcript(DataMessage data) => Transcript(
        data.GetString("role") ?? "assistant", data.GetString("text") ?? "", data.GetBool("is_final") ?? false,
        data.GetBool("interrupted") ?? false, data.GetBool("end_of_segment") ?? false, data.GetString("item_id"));

    /// <summary><c>transcript</c>, from its parts (a TEN app's message collector, for one).</summary>
    public static byte[] Transcript(string role, string text, bool final, bool interrupted, bool? endOfSegment = null, string? itemId = null)
    {
        var message = new JsonObject
        {
            ["type"] = "transcript",
            ["role"] = role,
            ["text"] = text,
            ["final"] = final,
            ["endOfSegment"] = endOfSegment ?? final,
            ["interrupted"] = interrupted,
        };
        if (itemId is not null)
        {
            message["itemId"] = itemId;
        }
        return Write(message);
    }

    /// <summary><c>event</c>, from the extension's <c>session_event</c>: <c>kind</c> and its properties, renamed to camelCase.</summary>
    public static byte[] Event(DataMessage data)
    {
        var message = new JsonObject { ["type"] = "event" };
        foreach (var (name, value) in data.Properties)
        {
            message[CamelCase(name)] = value?.DeepClone();
        }
        return Write(message);
    }

    /// <summary><c>error</c>, from the extension's <c>error</c> data or the session itself.</summary>
    public static byte[] Error(string message, string? code, bool fatal) => Write(new JsonObject
    {
        ["type"] = "error",
        ["message"] = message,
        ["code"] = code,
        ["fatal"] = fatal,
    });

    /// <summary><c>notice</c>: something the user should know that ends nothing yet, e.g. <c>draining</c> (the server shuts down).</summary>
    public static byte[] Notice(string message, string code) => Write(new JsonObject
    {
        ["type"] = "notice",
        ["message"] = message,
        ["code"] = code,
    });

    /// <summary><c>flush</c>: drop every sample not yet played, at once (barge-in).</summary>
    public static byte[] Flush(int framesDroppedOnServer) => Write(new JsonObject
    {
        ["type"] = "flush",
        ["serverFramesDropped"] = framesDroppedOnServer,
    });

    private static byte[] Write(JsonObject message) => Encoding.UTF8.GetBytes(message.ToJsonString());

    private static string CamelCase(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
