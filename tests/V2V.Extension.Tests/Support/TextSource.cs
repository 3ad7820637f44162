using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Extension.Tests.Support;

/// <summary>A real extension for tests: once started, it sends one user text as text_data (a chat message into the voice agent).</summary>
internal sealed class TextSource(string text) : Ten.Extension
{
    public const string AddonName = "text_source";

    public static ExtensionAddon Addon(string text) => new(AddonName,
        TestManifest.Create(AddonName, dataOut: ["text_data"]), [], () => new TextSource(text));

    // Nodes start in order: openai_v2v is connected and the tool has sent tool_register (a command, handled
    // ahead of data) before this text is queued.
    public override async Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        var data = new DataMessage("text_data");
        data.Set("text", text);
        await env.SendDataAsync(data, cancellationToken);
    }
}
