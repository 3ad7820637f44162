using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;
using V2V.Simulator.Responses;

namespace V2V.Simulator.Session;

/// <summary>
/// The transcription of a committed user turn, as the service does it: asynchronously, <see cref="Delay"/> after
/// the commit (so after the answer has begun), as a delta and a completed event; or a failed event, on Azure
/// when the transcription model names no deployment of the resource (<c>DeploymentNotFound</c>), or when the
/// <see cref="LocalRealtimeServerFaults.FailTranscriptions"/> fault asks for it. It sends nothing: the session
/// sends the events it returns, after the delay.
/// </summary>
internal sealed class InputAudioTranscription(SessionConfig config, LocalRealtimeServerOptions options)
{
    /// <summary>Whether a turn committed now gets a transcription.</summary>
    public bool IsOn => config.InputTranscription is not null;

    /// <summary>How long after the commit the transcription comes, on the server's clock.</summary>
    public TimeSpan Delay => Pacer.Scale(options.TranscriptionDelay, options.SpeedFactor);

    /// <summary>
    /// The events of a turn's transcription; on success the part keeps its transcript. The model is read when the
    /// transcription runs, as the session is configured then.
    /// </summary>
    public IReadOnlyList<JsonObject> Transcribe(string itemId, ContentPart part)
    {
        var model = config.InputTranscription?["model"]?.GetValue<string>();
        var failure = TranscriptionModels.FailureFor(options.Profile.NamesTranscriptionDeployments(), model, options.AzureDeployments)
            ?? (options.Faults.FailTranscriptions
                ? new JsonObject { ["type"] = "transcription_error", ["code"] = "audio_unintelligible", ["message"] = "The audio could not be transcribed.", ["param"] = null }
                : null);
        if (failure is not null)
        {
            if (!config.Profile.IsGa && failure["param"] is null)
            {
                failure.Remove("param"); // the beta file types it as a string: absent rather than null
            }

            return [new JsonObject
            {
                ["type"] = "conversation.item.input_audio_transcription.failed",
                ["item_id"] = itemId,
                ["content_index"] = 0,
                ["error"] = failure,
            }];
        }

        if (!part.HoldsSound)
        {
            // Silence (an idle timeout's turn, a commit of a muted microphone) has no words: the service completes its
            // transcription empty, with no delta.
            part.Transcript = string.Empty;
            return [Completed(itemId, part, config)];
        }

        part.Transcript = EchoAgent.DescribeUserAudio(part.AudioMs);
        var delta = new JsonObject
        {
            ["type"] = "conversation.item.input_audio_transcription.delta",
            ["item_id"] = itemId,
            ["content_index"] = 0,
            ["delta"] = part.Transcript,
            ["obfuscation"] = Obfuscation.For(part.Transcript),
        };
        return [delta, Completed(itemId, part, config)];
    }

    private static JsonObject Completed(string itemId, ContentPart part, SessionConfig config)
    {
        var completed = new JsonObject
        {
            ["type"] = "conversation.item.input_audio_transcription.completed",
            ["item_id"] = itemId,
            ["content_index"] = 0,
            ["transcript"] = part.Transcript,
        };
        if (config.Profile.IsGa)
        {
            completed["usage"] = new JsonObject { ["type"] = "duration", ["seconds"] = part.AudioMs / 1000.0 };
        }
        return completed;
    }
}
