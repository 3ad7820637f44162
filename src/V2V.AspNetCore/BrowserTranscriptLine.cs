namespace V2V.AspNetCore;

/// <summary>One line of the transcript, one per turn (as voice-agent.js keeps it).</summary>
public sealed record BrowserTranscriptLine(int Id, string Role, string Text, bool Final, bool Interrupted, string? ItemId, bool Removed);

/// <summary>An error of the agent or of the server: <see cref="Code"/> is stable, <see cref="Message"/> is for people.</summary>
public sealed record BrowserVoiceAgentError(string Code, string Message, bool Fatal);
