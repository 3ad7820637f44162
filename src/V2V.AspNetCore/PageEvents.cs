using System.Buffers;
using System.Text.Json;
using V2V.Realtime.Client;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.AspNetCore;

/// <summary>
/// The JSON text messages to the page (PROTOCOL.md, "server -> page"): one per session event, and the endpoint's own
/// <c>ready</c> and <c>error</c>. Names are camelCased; a kind of event this version does not know is not sent.
/// </summary>
internal static class PageEvents
{
    /// <summary>
    /// The session is ready on this socket; <paramref name="resumed"/> when it is a page's new socket that took its
    /// session back. <paramref name="resumeToken"/> (null when sessions are not resumable) takes it back once more.
    /// </summary>
    public static byte[] Ready(string sessionId, int outputSampleRate, string? resumeToken, TimeSpan resumeWindow, bool resumed) => Write(w =>
    {
        w.WriteString("type", "ready");
        w.WriteString("session", sessionId);
        w.WriteNumber("outputSampleRate", outputSampleRate);
        w.WriteBoolean("resumed", resumed);
        if (resumeToken is not null)
        {
            w.WriteString("resumeToken", resumeToken);
            w.WriteNumber("resumeWithinMs", (long)resumeWindow.TotalMilliseconds);
        }
    });

    /// <summary>The agent's voice from here on is of <paramref name="itemId"/>, beginning <paramref name="startMs"/> into it.</summary>
    public static byte[] AudioItem(string itemId, double startMs) => Write(w =>
    {
        w.WriteString("type", "audio_item");
        w.WriteString("itemId", itemId);
        w.WriteNumber("startMs", Math.Round(startMs, 1));
    });

    /// <summary>The answer to the page's <c>ping</c>: its socket carries both ways.</summary>
    public static byte[] Pong(long id) => Write(w =>
    {
        w.WriteString("type", "pong");
        w.WriteNumber("id", id);
    });

    /// <summary>The agent calls a tool of the page's: the page runs it and answers <c>tool_result</c> with <paramref name="callId"/>.</summary>
    public static byte[] ToolCall(string callId, string name, System.Text.Json.Nodes.JsonObject arguments) => Write(w =>
    {
        w.WriteString("type", "tool_call");
        w.WriteString("callId", callId);
        w.WriteString("name", name);
        w.WritePropertyName("arguments");
        arguments.WriteTo(w);
    });

    /// <summary>An error; its message is cleared of anything that looks like a key (it may quote a service).</summary>
    public static byte[] Error(string message, string? code, bool fatal) => Write(w =>
    {
        w.WriteString("type", "error");
        w.WriteString("message", SecretRedactor.RedactKeys(message));
        w.WriteString("code", code);
        w.WriteBoolean("fatal", fatal);
    });

    /// <summary>The message for a session event, or null for one the page is not told of.</summary>
    public static byte[]? For(VoiceSessionEvent sessionEvent) => sessionEvent switch
    {
        TranscriptOutput t => Write(w =>
        {
            w.WriteString("type", "transcript");
            w.WriteString("role", t.Role == TranscriptRole.User ? "user" : "assistant");
            w.WriteString("text", t.Text);
            w.WriteBoolean("final", t.IsFinal);
            w.WriteBoolean("endOfSegment", t.EndOfSegment);
            w.WriteBoolean("interrupted", t.Interrupted);
            w.WriteString("itemId", t.ItemId);
        }),
        FlushOutput f => Write(w =>
        {
            w.WriteString("type", "flush");
            w.WriteString("itemId", f.InterruptedItemId);
        }),
        ErrorOutput e => Error(e.Message, e.Code, e.Fatal),
        UserSpeechOutput s => Event(s.Started ? "user_speech_started" : "user_speech_stopped", w => w.WriteNumber("audioMs", Math.Round(s.AudioMs, 1))),
        UserTranscriptPendingOutput p => Event("user_transcript_pending", w =>
        {
            w.WriteString("itemId", p.ItemId);
            w.WriteBoolean("pending", p.Pending);
        }),
        FirstAudioOutput a => Event("first_audio", w =>
        {
            w.WriteNumber("latencyMs", Math.Round(a.LatencyMs, 1));
            w.WriteString("itemId", a.ItemId);
        }),
        UserIdleOutput i => Event("user_idle", w => w.WriteString("itemId", i.ItemId)),
        StateOutput s => Event("state", w =>
        {
            w.WriteString("state", StateName(s.State));
            w.WriteString("detail", s.Detail);
        }),
        McpToolsOutput m => Event("mcp_tools", w =>
        {
            w.WriteString("serverLabel", m.ServerLabel);
            w.WriteStartArray("tools");
            foreach (var tool in m.Tools)
            {
                w.WriteStringValue(tool);
            }
            w.WriteEndArray();
            w.WriteBoolean("failed", m.Failed);
        }),
        McpCallOutput c => Event("mcp_call", w =>
        {
            w.WriteString("itemId", c.ItemId);
            w.WriteString("serverLabel", c.ServerLabel);
            w.WriteString("name", c.Name);
            w.WriteString("arguments", c.Arguments);
            w.WriteString("state", c.State switch { McpCallState.Started => "started", McpCallState.Completed => "completed", _ => "failed" });
            w.WriteString("output", c.Output);
            w.WriteString("error", c.Error);
        }),
        McpApprovalRequestOutput r => Event("mcp_approval_request", w =>
        {
            w.WriteString("requestId", r.RequestId);
            w.WriteString("serverLabel", r.ServerLabel);
            w.WriteString("name", r.Name);
            w.WriteString("arguments", r.Arguments);
        }),
        _ => null,
    };

    private static string StateName(VoiceSessionState state) => state switch
    {
        VoiceSessionState.Connecting => "connecting",
        VoiceSessionState.Connected => "connected",
        VoiceSessionState.Reconnecting => "reconnecting",
        _ => "stopped",
    };

    private static byte[] Event(string kind, Action<Utf8JsonWriter> fields) => Write(w =>
    {
        w.WriteString("type", "event");
        w.WriteString("kind", kind);
        fields(w);
    });

    private static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
