using System.Text.Json.Nodes;
using V2V.Graph;
using V2V.Graph.BuiltIns;
using V2V.Graph.Definition;
using V2V.Playground.Sessions;
using V2V.Ten;

namespace V2V.Playground.Telephony;

/// <summary>
/// The graph of one call, the browser session's with the phone in the page's place: <c>caller</c> (twilio_caller) ->
/// <c>v2v</c> (openai_v2v) -> <c>call</c> (twilio_call), and <c>tool</c> (time_tool), so tools, greeting and
/// transcripts behave as in the browser. The agent speaks 8 kHz in 20 ms frames (one media message each) and believes
/// the played position the caller node reports from Twilio's marks (<c>played_reports</c>).
/// </summary>
internal static class CallGraph
{
    public const string Caller = "caller";
    public const string Call = "call";
    public const string CallerAddon = "twilio_caller";
    public const string CallAddon = "twilio_call";

    /// <summary>The phone's rate: Twilio's media is mu-law at 8 kHz.</summary>
    public const int SampleRate = 8000;

    /// <summary>Twilio's media messages are 20 ms each.</summary>
    public const int FrameMs = 20;

    private static readonly Lazy<TenManifest> CallerManifest = new(() => BrowserAddons.Load("caller.manifest.json", CallerAddon));
    private static readonly Lazy<TenManifest> CallManifest = new(() => BrowserAddons.Load("call.manifest.json", CallAddon));

    /// <summary>A registry for one call: the shared addons and this call's two nodes.</summary>
    public static AddonRegistry Registry(SessionContext context, MicExtension caller, CallExtension call) =>
        new AddonRegistry().Add(context.Agent).Add(context.Tool)
            .Add(new ExtensionAddon(CallerAddon, CallerManifest.Value, [], () => caller))
            .Add(new ExtensionAddon(CallAddon, CallManifest.Value, [], () => call));

    /// <summary>The graph; the call node starts first and stops last, after the agent has stopped producing.</summary>
    public static GraphDefinition Build(CallSettings settings, JsonObject serverProperties)
    {
        var agent = PhoneAgent((JsonObject)serverProperties.DeepClone(), settings);
        GraphNode[] nodes =
        [
            new(Call, CallAddon, null, []),
            new(Caller, CallerAddon, null, []),
            new(SessionGraph.Agent, global::V2V.Extension.OpenAIV2VAddon.Name, null, agent),
            new(SessionGraph.Tool, TimeTool.AddonName, null, []),
        ];
        GraphRoute[] routes =
        [
            Route(Caller, MessageKind.AudioFrame, "pcm_frame", SessionGraph.Agent),
            Route(Caller, MessageKind.Data, "text_data", SessionGraph.Agent),
            Route(Caller, MessageKind.Data, "audio_played", SessionGraph.Agent),
            Route(Caller, MessageKind.Cmd, "on_user_joined", SessionGraph.Agent),
            Route(Caller, MessageKind.Cmd, "on_user_left", SessionGraph.Agent),
            Route(SessionGraph.Agent, MessageKind.AudioFrame, "pcm_frame", Call),
            Route(SessionGraph.Agent, MessageKind.Data, "text_data", Call),
            Route(SessionGraph.Agent, MessageKind.Data, "error", Call),
            Route(SessionGraph.Agent, MessageKind.Cmd, "flush", Call),
            Route(SessionGraph.Agent, MessageKind.Cmd, "tool_call", SessionGraph.Tool),
            Route(SessionGraph.Tool, MessageKind.Cmd, "tool_register", SessionGraph.Agent),
        ];
        return new GraphDefinition("phone_call", nodes, routes);
    }

    /// <summary>
    /// <paramref name="agent"/> (an <c>openai_v2v</c> node's properties) set for a phone line: this call's custom
    /// parameters, 8 kHz in 20 ms frames paced as a phone plays them, played where Twilio's marks say.
    /// </summary>
    public static JsonObject PhoneAgent(JsonObject agent, CallSettings settings)
    {
        if (settings.Voice is not null)
        {
            agent["voice"] = settings.Voice;
        }
        if (settings.Instructions is not null)
        {
            agent["system_message"] = settings.Instructions;
        }
        if (settings.Greeting is not null)
        {
            agent["greeting"] = settings.Greeting;
        }
        agent["sample_rate"] = (long)SampleRate;
        agent["frame_ms"] = (long)FrameMs;
        agent["pace_output"] = true;
        agent["played_reports"] = true;
        agent["audio_out"] = true;
        return agent;
    }

    private static GraphRoute Route(string source, MessageKind kind, string name, string destination) =>
        new(source, kind, name, [destination], $"phone call: {source} {kind.Key()} {name}");
}
