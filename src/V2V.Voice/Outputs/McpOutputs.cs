namespace V2V.Voice.Outputs;

/// <summary>
/// The service listed the tools of an <see cref="McpServer"/> (when a connection is configured), or could not: then the
/// model cannot use that server on this connection, and an <see cref="ErrorOutput"/> with the service's words follows.
/// </summary>
/// <param name="ServerLabel">The server's <see cref="McpServer.Label"/>.</param>
/// <param name="Tools">The tools the model may use (after <see cref="McpServer.AllowedTools"/>); empty when the listing failed.</param>
/// <param name="Failed">True when the service could not list them (unreachable, refused, not MCP).</param>
public sealed record McpToolsOutput(string ServerLabel, IReadOnlyList<string> Tools, bool Failed) : VoiceSessionEvent;

/// <summary>Where a call of an MCP server's tool is.</summary>
public enum McpCallState
{
    /// <summary>The model made the call; the service is running it.</summary>
    Started,

    /// <summary>The tool answered: <see cref="McpCallOutput.Output"/>.</summary>
    Completed,

    /// <summary>The call failed (the tool's error, the server's HTTP or protocol error): <see cref="McpCallOutput.Error"/>.</summary>
    Failed,
}

/// <summary>
/// A call the service made to an MCP server's tool, told when it starts and when it ends, for the host's log or screen.
/// The model speaks its result itself, in the same answer.
/// </summary>
/// <param name="ItemId">The call's item (the same in both outputs of one call).</param>
/// <param name="ServerLabel">The server's <see cref="McpServer.Label"/>.</param>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments, as JSON text.</param>
/// <param name="State">Started, then Completed or Failed.</param>
/// <param name="Output">The tool's output (Completed).</param>
/// <param name="Error">What failed (Failed): the error's type and message.</param>
public sealed record McpCallOutput(string ItemId, string ServerLabel, string Name, string Arguments, McpCallState State, string? Output = null, string? Error = null) : VoiceSessionEvent;

/// <summary>
/// The model wants to call an MCP server's tool that needs approval (<see cref="McpServer.Approval"/>): nothing runs until
/// the host answers with <see cref="VoiceSession.AnswerMcpApprovalAsync"/>, and the model then goes on (it says so when
/// refused). An unanswered request stays pending; the conversation goes on meanwhile.
/// </summary>
/// <param name="RequestId">The id to answer.</param>
/// <param name="ServerLabel">The server's <see cref="McpServer.Label"/>.</param>
/// <param name="Name">The tool.</param>
/// <param name="Arguments">The arguments the call would be given, as JSON text.</param>
public sealed record McpApprovalRequestOutput(string RequestId, string ServerLabel, string Name, string Arguments) : VoiceSessionEvent;
