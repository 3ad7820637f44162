using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;
using V2V.Voice.Conversation;
using V2V.Voice.Outputs;

namespace V2V.Extension.Storage;

/// <summary>
/// The storage contract of the original, reading side: with <c>enable_storage</c> on, the cmd <c>retrieve</c> goes
/// out at start; its OK result's <c>response</c> is the JSON text of a list of turns <c>{role, input}</c> (also read:
/// <c>content</c> or <c>text</c> for the words, a turn given as JSON text, a list given as JSON rather than text),
/// which becomes the session's previous conversation. No answer, an error or a bad list: a warning, and the session
/// starts without it.
/// </summary>
internal static class StoredConversation
{
    /// <summary>How long the start waits for the storage's answer.</summary>
    public static readonly TimeSpan RetrieveTimeout = TimeSpan.FromSeconds(10);

    public static async Task<IReadOnlyList<PreviousTurn>> RetrieveAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        CmdResult result;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RetrieveTimeout);
            result = await env.SendCmdAsync(new Cmd("retrieve"), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            env.Logger.LogWarning("{Name}: enable_storage is on, but 'retrieve' got no answer within {Seconds} s; starting without the stored conversation.", env.Name, RetrieveTimeout.TotalSeconds);
            return [];
        }
        if (result.Status != StatusCode.Ok)
        {
            env.Logger.LogWarning("{Name}: enable_storage is on, but 'retrieve' failed ({Detail}); starting without the stored conversation.", env.Name, result.Detail);
            return [];
        }
        try
        {
            var turns = Parse(result.Properties["response"]);
            env.Logger.LogInformation("{Name}: {Count} stored turns retrieved.", env.Name, turns.Count);
            return turns;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            env.Logger.LogWarning("{Name}: the 'response' of 'retrieve' is not a list of {{role, input}}: {Reason}; starting without the stored conversation.", env.Name, ex.Message);
            return [];
        }
    }

    /// <summary>The turns of a <c>retrieve</c> answer's <c>response</c>.</summary>
    public static IReadOnlyList<PreviousTurn> Parse(JsonNode? response)
    {
        var list = Unwrap(response) as JsonArray ?? throw new FormatException("expected a list");
        var turns = new List<PreviousTurn>();
        foreach (var entry in list.Select(Unwrap).OfType<JsonObject>())
        {
            var text = Text(entry["input"]) ?? Text(entry["content"]) ?? Text(entry["text"]);
            if (!string.IsNullOrWhiteSpace(text))
            {
                turns.Add(new PreviousTurn(Text(entry["role"]) is "user" ? TranscriptRole.User : TranscriptRole.Assistant, text));
            }
        }
        return turns;
    }

    // TEN storages give JSON as text (the documented form) or as JSON: both are read.
    private static JsonNode? Unwrap(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) ? JsonNode.Parse(text) : node;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
