using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary><c>session.update</c>: already checked against the schema; here only what the server itself refuses.</summary>
internal sealed partial class RealtimeSession
{
    private async Task UpdateSessionAsync(JsonElement session, string? eventId)
    {
        if (Profile.IsGa && session.TryGetProperty("type", out var type) && type.GetString() == "transcription")
        {
            await SendErrorAsync(RealtimeError.Invalid("unsupported_session_type", "The local realtime server does not simulate transcription sessions.", "session.type", eventId)).ConfigureAwait(false);
            return;
        }

        var vadWasOn = _config.TurnDetection is not null;
        if (_config.Apply(session, _assistantAudioSent) is { } refused)
        {
            await SendErrorAsync(RealtimeError.Invalid(refused.Code, refused.Message, refused.Param, eventId)).ConfigureAwait(false);
            return;
        }

        if (vadWasOn != (_config.TurnDetection is not null))
        {
            // Detection starts afresh from the audio that arrives next.
            _vad.Reset(_buffer.EndSample);
            _speechItemId = null;
        }

        await SendAsync(new JsonObject { ["type"] = "session.updated", ["session"] = SessionConfigWriter.ToJson(_config) }).ConfigureAwait(false);
    }
}
