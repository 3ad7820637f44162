using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace V2V.Simulator.Protocol;

/// <summary>
/// Recognizes a client of the retired beta shape on OpenAI's GA-only endpoint. OpenAI retired the Realtime beta
/// on 2026-05-12: a client that asks for it (header <c>OpenAI-Beta: realtime=v1</c>, or the browser subprotocol
/// <c>openai-beta.realtime-v1</c>) or sends a beta-shaped event gets <c>beta_api_shape_disabled</c> and the
/// connection closes with 4000. A client written for the beta must fail this loudly against the local server
/// too, instead of limping on with <c>unknown_parameter</c> errors it may ignore.
/// </summary>
internal static class BetaShapeDetector
{
    /// <summary>The close status OpenAI ends such a connection with (an application status, 4000-4999).</summary>
    public const int CloseStatus = 4000;

    public const string CloseReason = "beta_api_shape_disabled";

    public const string Message =
        "The Realtime API beta shape has been retired. Remove the 'OpenAI-Beta: realtime=v1' header and use the GA interface (session.type = \"realtime\").";

    // Top-level names that exist only in the beta shape of a session or of response.create: GA moved them under
    // audio.input / audio.output, or renamed them (output_modalities, max_output_tokens).
    private static readonly string[] BetaSessionFields =
    [
        "modalities", "voice", "input_audio_format", "output_audio_format", "turn_detection",
        "input_audio_transcription", "input_audio_noise_reduction", "max_response_output_tokens",
    ];

    private static readonly string[] BetaResponseFields = ["modalities", "voice", "output_audio_format"];

    /// <summary>The handshake asks for the beta shape: the header, or the subprotocol browsers must use instead.</summary>
    public static bool IsRequested(HttpRequest request, IList<string> subprotocols) =>
        request.Headers["OpenAI-Beta"].Any(v => v?.Contains("realtime=v1", StringComparison.OrdinalIgnoreCase) == true)
        || subprotocols.Contains("openai-beta.realtime-v1");

    /// <summary>A <c>session.update</c> or <c>response.create</c> carries a beta-only field at the top of its payload.</summary>
    public static bool IsBetaShaped(string type, JsonElement root) => type switch
    {
        "session.update" => HasAny(root, "session", BetaSessionFields),
        "response.create" => HasAny(root, "response", BetaResponseFields),
        _ => false,
    };

    /// <summary>The error OpenAI sends before it closes; <paramref name="eventId"/> is the client event that showed the beta shape, if one did.</summary>
    public static RealtimeError Error(string? eventId) => RealtimeError.Invalid("beta_api_shape_disabled", Message, null, eventId);

    private static bool HasAny(JsonElement root, string payload, string[] names) =>
        root.TryGetProperty(payload, out var body)
        && body.ValueKind == JsonValueKind.Object
        && names.Any(name => body.TryGetProperty(name, out _));
}
