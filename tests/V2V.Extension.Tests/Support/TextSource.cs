using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Extension.Tests.Support;

/// <summary>A real extension for tests: sends one user text as text_data (a chat message into the voice agent) when the test says.</summary>
internal sealed class TextSource(string text) : Ten.Extension
{
    public const string AddonName = "text_source";

    private readonly TaskCompletionSource<ITenEnv> _env = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ExtensionAddon Addon() => new(AddonName, TestManifest.Create(AddonName, dataOut: ["text_data"], cmdOut: ["on_user_joined", "mcp_approval"]), [], () => this);

    public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        _env.TrySetResult(env);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sends the text. Not at start: the graph starts its nodes together, so a text sent then raced the time tool's
    /// tool_register to openai_v2v, and on a busy machine the model got the text before it had the tool.
    /// </summary>
    public Task SayAsync(CancellationToken cancellationToken) => SayAsync(text, cancellationToken);

    /// <summary>Sends <paramref name="words"/> as the user's text.</summary>
    public async Task SayAsync(string words, CancellationToken cancellationToken)
    {
        var env = await _env.Task.WaitAsync(cancellationToken);
        var data = new DataMessage("text_data");
        data.Set("text", words);
        await env.SendDataAsync(data, cancellationToken);
    }

    /// <summary>Sends a cmd of the user's side (an approval a screen asked them for) and returns openai_v2v's result.</summary>
    public async Task<CmdResult> SendAsync(Cmd cmd, CancellationToken cancellationToken)
    {
        var env = await _env.Task.WaitAsync(cancellationToken);
        return await env.SendCmdAsync(cmd, cancellationToken);
    }

    /// <summary>Sends on_user_joined, as a transport does when someone joins.</summary>
    public async Task<CmdResult> JoinAsync(CancellationToken cancellationToken)
    {
        var env = await _env.Task.WaitAsync(cancellationToken);
        return await env.SendCmdAsync(new Cmd("on_user_joined"), cancellationToken);
    }
}
