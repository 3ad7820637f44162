using System.Text.Json.Nodes;
using V2V.Graph;
using V2V.Graph.BuiltIns;
using V2V.Graph.Definition;
using V2V.Ten;

namespace V2V.Playground.Sessions;

/// <summary>
/// The graph of one browser session: <c>mic</c> (what the page sends) -> <c>v2v</c> (openai_v2v) -> <c>page</c> (what
/// the page receives), and <c>tool</c> (time_tool) registered with the agent. In TEN's terms:
/// mic -pcm_frame, text_data, on_user_joined, on_user_left, flush, mcp_approval-> v2v;
/// v2v -pcm_frame, text_data, session_event, error, flush-> page; v2v -tool_call-> tool; tool -tool_register-> v2v.
/// </summary>
internal static class SessionGraph
{
    public const string Mic = "mic";
    public const string Page = "page";
    public const string Agent = "v2v";
    public const string Tool = "tool";

    /// <summary>The page's audio is played at this rate: the extension's output is set to it.</summary>
    public const int OutputSampleRate = 24000;

    /// <summary>A registry for one session: the shared addons and this session's mic and page nodes.</summary>
    public static AddonRegistry Registry(ExtensionAddon v2v, ExtensionAddon tool, MicExtension mic, PageExtension page) =>
        new AddonRegistry().Add(v2v).Add(tool).Add(BrowserAddons.For(mic)).Add(BrowserAddons.For(page));

    /// <summary>The shared time tool addon.</summary>
    public static ExtensionAddon TimeToolAddon() => TimeTool.Addon();

    /// <summary>The agent's properties in a page's session: the server's first, then the page's three (it can name no other).</summary>
    public static JsonObject AgentProperties(SessionSettings settings, JsonObject serverProperties)
    {
        var agent = (JsonObject)serverProperties.DeepClone();
        agent["voice"] = settings.Voice;
        agent["turn_detection"] = settings.TurnMode; // the server's idle_timeout_ms holds in any: the service's or the session's
        if (settings.Instructions.Length > 0)
        {
            agent["system_message"] = settings.Instructions;
        }
        agent["sample_rate"] = (long)OutputSampleRate;
        agent["audio_out"] = true;
        agent["input_transcript"] = true;
        agent["played_reports"] = settings.ReportsPlayed; // the page says what its player played ('played'): a barge-in truncates there
        return agent;
    }

    /// <summary>
    /// The graph. Node order matters: extensions start in it and stop in reverse, so the page node starts first and
    /// stops last, after the agent has stopped producing.
    /// </summary>
    public static GraphDefinition Build(SessionSettings settings, JsonObject serverProperties)
    {
        var agent = AgentProperties(settings, serverProperties);
        GraphNode[] nodes =
        [
            new(Page, BrowserAddons.Page, null, []),
            new(Mic, BrowserAddons.Mic, null, []),
            new(Agent, global::V2V.Extension.OpenAIV2VAddon.Name, null, agent),
            new(Tool, TimeTool.AddonName, null, []),
        ];
        GraphRoute[] routes =
        [
            Route(Mic, MessageKind.AudioFrame, "pcm_frame", Agent),
            Route(Mic, MessageKind.Data, "text_data", Agent),
            Route(Mic, MessageKind.Cmd, "on_user_joined", Agent),
            Route(Mic, MessageKind.Cmd, "on_user_left", Agent),
            Route(Mic, MessageKind.Cmd, "flush", Agent),
            Route(Mic, MessageKind.Cmd, "mcp_approval", Agent),
            Route(Mic, MessageKind.Data, "audio_played", Agent),
            Route(Agent, MessageKind.AudioFrame, "pcm_frame", Page),
            Route(Agent, MessageKind.Data, "text_data", Page),
            Route(Agent, MessageKind.Data, "session_event", Page),
            Route(Agent, MessageKind.Data, "error", Page),
            Route(Agent, MessageKind.Cmd, "flush", Page),
            Route(Agent, MessageKind.Cmd, "tool_call", Tool),
            Route(Tool, MessageKind.Cmd, "tool_register", Agent),
        ];
        return new GraphDefinition("playground", nodes, routes);
    }

    private static GraphRoute Route(string source, MessageKind kind, string name, string destination) =>
        new(source, kind, name, [destination], $"playground: {source} {kind.Key()} {name}");
}
