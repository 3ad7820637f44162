using System.Text.Json;

namespace V2V.Voice.Tools;

/// <summary>A function the model may call: name, description and a JSON schema of its parameters.</summary>
public sealed record VoiceTool(string Name, string Description, JsonElement Parameters);

/// <summary>A call of a tool by the model.</summary>
public sealed record ToolCall(string CallId, string Name, string Arguments);

/// <summary>Runs a tool call and returns its output (usually JSON); throwing makes an error output for the model.</summary>
public delegate Task<string> ToolInvoker(ToolCall call, CancellationToken cancellationToken);
