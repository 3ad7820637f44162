using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Responses;

internal static class ConversationHelpers
{
    public static JsonObject UserText(string text) => Message("user", "input_text", text);

    /// <summary>A message item of <paramref name="role"/> with one text part of <paramref name="partType"/>.</summary>
    public static JsonObject Message(string role, string partType, string text) => new()
    {
        ["type"] = "conversation.item.create",
        ["item"] = new JsonObject
        {
            ["type"] = "message",
            ["role"] = role,
            ["content"] = new JsonArray(new JsonObject { ["type"] = partType, ["text"] = text }),
        },
    };

    /// <summary>A manual audio turn (VAD off) of <paramref name="speechMs"/>, then response.create.</summary>
    public static async Task AskWithAudioAsync(RealtimeTestClient client, bool beta, int speechMs)
    {
        await client.SendRawAsync(beta
            ? """{"type":"session.update","session":{"turn_detection":null}}"""
            : """{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":null}}}}""");
        await client.UntilAsync("session.updated");
        await client.AppendAudioAsync(TestAudio.Turn(0, speechMs, 0));
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.commit" });
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
    }
}
