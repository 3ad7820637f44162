namespace V2V.Simulator.Mcp;

/// <summary>A listed tool the model may call now: its server, the tool, and whether a call of it waits for the client's approval.</summary>
internal sealed record McpOfferedTool(string ServerLabel, McpListedTool Tool, bool NeedsApproval);
