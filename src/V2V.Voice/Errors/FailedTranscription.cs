using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Voice.Errors;

/// <summary>
/// The user's transcription failing. It fails turn after turn for one cause (on Azure, most often a transcription
/// model that is not a deployment of the resource), so the session reports it once, with the fix, and logs the rest.
/// </summary>
internal sealed class FailedTranscription
{
    private bool _reported;

    /// <summary>The first failure of the session as an error output; null for the failures after it.</summary>
    public Outputs.ErrorOutput? Report(ConversationItemInputAudioTranscriptionFailedEvent failed, VoiceSessionOptions options)
    {
        if (_reported)
        {
            return null;
        }
        _reported = true;
        var fix = options.Connection.Vendor == RealtimeVendor.Azure
            ? $"On Azure the transcription model is the name of a deployment in your resource (it is '{options.EffectiveTranscriptionModel}'). {VoiceSessionOptions.AzureTranscriptionFix}"
            : $"Check {nameof(VoiceSessionOptions.TranscriptionModel)} ('{options.EffectiveTranscriptionModel}') and {nameof(VoiceSessionOptions.Language)}, or turn {nameof(VoiceSessionOptions.InputTranscript)} off.";
        return new Outputs.ErrorOutput(
            $"The user's speech could not be transcribed ({failed.Error}); the agent still hears it, but no user transcript will come. {fix} Further failures are only logged.",
            failed.Error.Code ?? "input_transcription_failed", Fatal: false);
    }
}
