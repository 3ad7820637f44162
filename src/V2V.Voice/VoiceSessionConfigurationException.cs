namespace V2V.Voice;

/// <summary>
/// The service refused the session's configuration (its <c>session.update</c>): the session did not start, rather than
/// run on the service's defaults without the instructions, tools or voice it was given. <see cref="Param"/> is the
/// parameter the service named (e.g. <c>session.audio.input.transcription.model</c>), <see cref="Option"/> the
/// <see cref="VoiceSessionOptions"/> setting behind it when one is known.
/// </summary>
public sealed class VoiceSessionConfigurationException : Exception
{
    /// <summary>A refusal: the message to show, the parameter and code the service gave, and the setting behind it.</summary>
    public VoiceSessionConfigurationException(string message, string? param, string? code, string? option)
        : base(message)
    {
        Param = param;
        Code = code;
        Option = option;
    }

    /// <summary>Creates the exception without details.</summary>
    public VoiceSessionConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public VoiceSessionConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public VoiceSessionConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The parameter of the update the service refused, as it named it (null when it named none).</summary>
    public string? Param { get; }

    /// <summary>The service's error code, e.g. <c>invalid_value</c>.</summary>
    public string? Code { get; }

    /// <summary>The setting of <see cref="VoiceSessionOptions"/> that the refused parameter comes from, when known.</summary>
    public string? Option { get; }
}
