using System.Text.Json.Nodes;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.SamplePackage;

/// <summary>
/// A tool in the form of TEN's ten_ai_base tools: it answers <c>tool_call</c> for its own tool name with a
/// <c>tool_result</c> made from its <c>greeting</c> property, and an empty OK for any other name (not its own to answer).
/// </summary>
public sealed class SampleTool : Extension
{
    /// <summary>The tool name it owns.</summary>
    public const string ToolName = "sample_greet";

    private string _greeting = "";

    /// <summary>The greeting it was given (the package's property.json, under the graph node's property).</summary>
    public string Greeting => _greeting;

    /// <inheritdoc/>
    public override Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        _greeting = env.Properties["greeting"]?.GetValue<string>() ?? "";
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        var result = CmdResult.Ok();
        if (cmd.Name == "tool_call" && cmd.GetString("name") == ToolName)
        {
            result.Set("tool_result", new JsonObject { ["type"] = "text", ["content"] = _greeting });
        }
        return Task.FromResult(result);
    }
}
