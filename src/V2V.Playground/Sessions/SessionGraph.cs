using System.Text.Json.Nodes;
using V2V.Graph;
using V2V.Graph.BuiltIns;
using V2V.Graph.Definition;
using V2V.Ten;

namespace V2V.Playground.Sessions;

/// <summary>
/// The graph of one browser session: <c>browser</c> (the page) and <c>v2v</c> (openai_v2v) wired both ways, and
/// <c>tool</c> (time_tool) registered with the agent. The same graph in TEN's JSON would read:
/// browser -pcm_frame, text_data, on_user_joined, on_user_left, flush-> v2v;
/// v2v -pcm_frame, text_data, session_event, error, flush-> browser; v2v -tool_call-> tool; tool -tool_register-> v2v.
/// </summary>
internal static class SessionGraph
{
    public const string Browser = "browser";
    public const string Agent = "v2v";
    public const string Tool = "tool";

    /// <summary>The page's audio is played at this rate: the extension's output is set to it.</summary>
    public const int OutputSampleRate = 24000;

    /// <summary>A registry for one session: the shared addons and this session's browser node.</summary>
    public static AddonRegistry Registry(ExtensionAddon v2v, ExtensionAddon tool, BrowserExtension browser) =>
        new AddonRegistry().Add(v2v).Add(tool).Add(BrowserAddon.For(browser));

    /// <summary>The shared time tool addon.</summary>
    public static ExtensionAddon TimeToolAddon() => TimeTool.Addon();

    /// <summary>
    /// The graph. Node order matters: extensions start in it and stop in reverse, so the browser node starts first
    /// and stops last, after the agent has stopped producing.
    /// </summary>
    public static GraphDefinition Build(SessionSettings settings, JsonObject serverProperties)
    {
        // The server's properties first, then the page's three; the page cannot name any other property.
        var agent = (JsonObject)serverProperties.DeepClone();
        agent["voice"] = settings.Voice;
        agent["turn_detection"] = settings.TurnMode;
        if (settings.Instructions.Length > 0)
        {
            agent["system_message"] = settings.Instructions;
        }
        agent["sample_rate"] = OutputSampleRate;
        agent["audio_out"] = true;
        agent["input_transcript"] = true;
        GraphNode[] nodes =
        [
            new(Browser, BrowserAddon.Name, null, []),
            new(Agent, global::V2V.Extension.OpenAIV2VAddon.Name, null, agent),
            new(Tool, TimeTool.AddonName, null, []),
        ];
        GraphRoute[] routes =
        [
            Route(Browser, MessageKind.AudioFrame, "pcm_frame", Agent),
            Route(Browser, MessageKind.Data, "text_data", Agent),
            Route(Browser, MessageKind.Cmd, "on_user_joined", Agent),
            Route(Browser, MessageKind.Cmd, "on_user_left", Agent),
            Route(Browser, MessageKind.Cmd, "flush", Agent),
            Route(Agent, MessageKind.AudioFrame, "pcm_frame", Browser),
            Route(Agent, MessageKind.Data, "text_data", Browser),
            Route(Agent, MessageKind.Data, "session_event", Browser),
            Route(Agent, MessageKind.Data, "error", Browser),
            Route(Agent, MessageKind.Cmd, "flush", Browser),
            Route(Agent, MessageKind.Cmd, "tool_call", Tool),
            Route(Tool, MessageKind.Cmd, "tool_register", Agent),
        ];
        return new GraphDefinition("playground", nodes, routes);
    }

    private static GraphRoute Route(string source, MessageKind kind, string name, string destination) =>
        new(source, kind, name, [destination], $"playground: {source} {kind.Key()} {name}");
}
