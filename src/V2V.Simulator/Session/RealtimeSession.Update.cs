using System.Text.Json;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Session;

/// <summary><c>session.update</c>: already checked against the schema; here what the service itself refuses, then the change.</summary>
internal sealed partial class RealtimeSession
{
    private async Task UpdateSessionAsync(JsonElement session, string? eventId)
    {
        var vadWasOn = _config.TurnDetection is not null;
        if (_config.Apply(session, _responses.AssistantHasSpoken, _options.Profile.NamesTranscriptionDeployments()) is { } refused)
        {
            await SendErrorAsync(refused.ToError(eventId)).ConfigureAwait(false);
            return;
        }

        if (vadWasOn != (_config.TurnDetection is not null))
        {
            _turns.RestartDetection();
        }

        await SendAsync(new JsonObject { ["type"] = "session.updated", ["session"] = SessionConfigWriter.ToJson(_config) }).ConfigureAwait(false);
    }
}
