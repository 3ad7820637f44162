using Microsoft.Extensions.Logging;

namespace V2V.AspNetCore;

/// <summary>What a socket's connection logs (never a key: reasons are masked before they come here).</summary>
internal sealed partial class VoiceAgentConnection
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Voice session started (microphone at {SampleRate} Hz)")]
    private static partial void LogStarted(ILogger logger, int sampleRate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Voice session ended")]
    private static partial void LogEnded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A socket was refused: {Taken} sessions run already (MaxSessions)")]
    private static partial void LogFull(ILogger logger, int taken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The voice session could not start ({Error}: {Reason}); the page was told why")]
    private static partial void LogStartFailed(ILogger logger, string error, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "A socket ended before its session started: {Reason}")]
    private static partial void LogNoStart(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A page sent a message over {Limit} bytes: its socket was closed (1009)")]
    private static partial void LogTooBig(ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OnEvent threw for a {Event}; the session goes on")]
    private static partial void LogObserverFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The server is shutting down: the voice session ends")]
    private static partial void LogShuttingDown(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The page's socket was lost without a close; its session waits {Seconds} s for it to resume")]
    private static partial void LogPageLost(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "The page resumed its session on a new socket (microphone at {SampleRate} Hz)")]
    private static partial void LogResumed(ILogger logger, int sampleRate);

    [LoggerMessage(Level = LogLevel.Information, Message = "The page did not come back in time: its session ends")]
    private static partial void LogNotResumed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A socket's resume was refused: no session of its user holds that token")]
    private static partial void LogResumeRefused(ILogger logger);
}
