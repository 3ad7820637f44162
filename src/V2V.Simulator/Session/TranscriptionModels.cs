using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>
/// The model of input audio transcription (GA <c>session.audio.input.transcription.model</c>, beta
/// <c>session.input_audio_transcription.model</c>). On OpenAI it is one of the service's model names, refused at
/// <c>session.update</c> otherwise. On Azure it is the name of a deployment of the resource: any name is accepted
/// at the update, and each user turn's transcription then fails if no such deployment exists.
/// </summary>
internal static class TranscriptionModels
{
    /// <summary>Azure's words when a request names a deployment the resource does not have.</summary>
    public const string DeploymentNotFoundMessage =
        "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.";

    /// <summary>OpenAI's names: exactly the enum of <c>AudioTranscription.model</c> in the GA schema (a test holds the two together).</summary>
    public static IReadOnlyList<string> OpenAi { get; } =
    [
        "whisper-1", "gpt-transcribe", "gpt-live-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-mini-transcribe-2025-12-15",
        "gpt-4o-transcribe", "gpt-4o-transcribe-diarize", "gpt-realtime-whisper",
    ];

    /// <summary>The check at <c>session.update</c>: null when accepted, else the error naming <paramref name="param"/>.</summary>
    public static InvalidParam? Check(bool azure, string model, string param) =>
        azure ? null : SupportedValues.Check(model, OpenAi, param);

    /// <summary>
    /// The <c>error</c> object of the <c>conversation.item.input_audio_transcription.failed</c> event of a user turn,
    /// or null when that turn can be transcribed. Only Azure fails here (OpenAI refused unknown names at the update):
    /// when <paramref name="model"/> names none of the resource's <paramref name="deployments"/> (compared with the
    /// set's own comparer). A null model means transcription is off: nothing to fail.
    /// </summary>
    public static JsonObject? FailureFor(bool azure, string? model, IReadOnlySet<string> deployments)
    {
        if (!azure || model is null || deployments.Contains(model))
        {
            return null;
        }

        return new JsonObject
        {
            ["type"] = "invalid_request_error",
            ["code"] = "DeploymentNotFound",
            ["message"] = DeploymentNotFoundMessage,
            ["param"] = null,
        };
    }
}
