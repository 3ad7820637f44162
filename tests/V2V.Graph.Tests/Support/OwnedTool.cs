using System.Text.Json.Nodes;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.Support;

/// <summary>
/// A tool as TEN's ten_ai_base tools answer: <c>tool_call</c> for its own tool name gets OK with a <c>tool_result</c>;
/// any other name an empty OK (not its to answer); <c>fail_call</c> an error. It also takes video frames (counted).
/// </summary>
public sealed class OwnedTool(string toolName) : Extension
{
    private int _videoFrames;

    public int VideoFrames => Volatile.Read(ref _videoFrames);

    public override Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        if (cmd.Name == "fail_call")
        {
            return Task.FromResult(CmdResult.Error($"{toolName} failed"));
        }
        var result = CmdResult.Ok();
        if (cmd.GetString("name") == toolName)
        {
            result.Set("tool_result", new JsonObject { ["type"] = "text", ["content"] = $"{toolName} says hi" });
        }
        return Task.FromResult(result);
    }

    public override ValueTask OnVideoFrameAsync(ITenEnv env, VideoFrame frame, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _videoFrames);
        return ValueTask.CompletedTask;
    }

    public static ExtensionAddon Addon(string addonName, string toolName) => TestAddon.Create(addonName, () => new OwnedTool(toolName));
}
