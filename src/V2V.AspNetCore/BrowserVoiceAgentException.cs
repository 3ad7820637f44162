using Microsoft.JSInterop;

namespace V2V.AspNetCore;

/// <summary>The agent could not start: <see cref="Code"/> says why (microphone_denied, full, connection_failed, ...).</summary>
public sealed class BrowserVoiceAgentException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Why: voice-agent.js's error code (PROTOCOL.md and voice-agent.d.ts list them).</summary>
    public string Code { get; } = code;

    internal static BrowserVoiceAgentException From(JSException failed)
    {
        // voice-agent-dotnet.js rejects with "code: message".
        var text = failed.Message.Split('\n')[0];
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && text[..colon].All(c => char.IsAsciiLetterLower(c) || c == '_')
            ? new BrowserVoiceAgentException(text[..colon], text[(colon + 2)..], failed)
            : new BrowserVoiceAgentException("start_failed", text, failed);
    }
}
