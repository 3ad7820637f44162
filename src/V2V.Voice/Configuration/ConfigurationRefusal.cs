using V2V.Realtime.Protocol.Models;

namespace V2V.Voice.Configuration;

/// <summary>
/// A <c>session.update</c> the service refused, told in the terms of the options: the service's message, the parameter
/// it named, and the <see cref="VoiceSessionOptions"/> setting to change.
/// </summary>
internal static class ConfigurationRefusal
{
    public static string Describe(RealtimeErrorDetails error)
    {
        var option = OptionFor(error.Param);
        var where = error.Param is null ? "" : $" (parameter {error.Param}{(option is null ? "" : $", from {nameof(VoiceSessionOptions)}.{option}")})";
        var fix = option is null ? "Check the session's settings." : $"Change {option}.";
        return $"The service refused the session configuration{where}: {error.Message} [{error.Code ?? error.Type ?? "error"}]. {fix}";
    }

    public static VoiceSessionConfigurationException Exception(RealtimeErrorDetails error) =>
        new(Describe(error), error.Param, error.Code, OptionFor(error.Param));

    /// <summary>The setting behind a parameter of the session object (both dialects' names), or null.</summary>
    public static string? OptionFor(string? param)
    {
        if (string.IsNullOrEmpty(param))
        {
            return null;
        }
        string? Has(string part, string option) => param.Contains(part, StringComparison.Ordinal) ? option : null;
        return Has("transcription", nameof(VoiceSessionOptions.TranscriptionModel))
            ?? Has("voice", nameof(VoiceSessionOptions.Voice))
            ?? Has("max_output_tokens", nameof(VoiceSessionOptions.MaxTokens))
            ?? Has("max_response_output_tokens", nameof(VoiceSessionOptions.MaxTokens))
            ?? Has("temperature", nameof(VoiceSessionOptions.Temperature))
            ?? Has("instructions", nameof(VoiceSessionOptions.Instructions))
            ?? Has("turn_detection", nameof(VoiceSessionOptions.TurnMode))
            ?? Has("tools", "tools");
    }
}
