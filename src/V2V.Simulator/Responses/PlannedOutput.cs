namespace V2V.Simulator.Responses;

/// <summary>What one output item of a response will be: spoken audio, text, a function call, or a remote MCP tool's call or approval request.</summary>
internal abstract record PlannedOutput;

/// <summary>An assistant message spoken as audio (24 kHz samples) with its transcript.</summary>
internal sealed record PlannedAudio(short[] Audio, string Transcript) : PlannedOutput;

/// <summary>An assistant message of text.</summary>
internal sealed record PlannedText(string Text) : PlannedOutput;

/// <summary>A call of a configured function.</summary>
internal sealed record PlannedFunctionCall(string Name, string Arguments) : PlannedOutput;

/// <summary>
/// A call of a listed MCP tool, which the server makes itself (<paramref name="ApprovalRequestId"/>: the approval it
/// was made on, or null when the tool needs none); the answer that reports its result follows in the same response.
/// </summary>
internal sealed record PlannedMcpCall(string ServerLabel, string Name, string Arguments, string? ApprovalRequestId) : PlannedOutput;

/// <summary>A call of a listed MCP tool that waits for the client's approval: the response asks for it and ends.</summary>
internal sealed record PlannedMcpApprovalRequest(string ServerLabel, string Name, string Arguments) : PlannedOutput;
