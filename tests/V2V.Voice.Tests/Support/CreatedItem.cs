using System.Text.Json;

namespace V2V.Voice.Tests.Support;

/// <summary>A <c>conversation.item.create</c> as the server received it: its item's role and first text.</summary>
internal static class CreatedItem
{
    public static string? Role(JsonElement created) =>
        created.GetProperty("item").TryGetProperty("role", out var role) ? role.GetString() : null;

    public static string? TextOf(JsonElement created) =>
        created.GetProperty("item").TryGetProperty("content", out var content) && content.GetArrayLength() > 0
            && content[0].TryGetProperty("text", out var text) ? text.GetString() : null;
}
