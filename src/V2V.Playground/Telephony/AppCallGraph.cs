using System.Text.Json.Nodes;
using V2V.Graph;
using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Playground.Sessions;

namespace V2V.Playground.Telephony;

/// <summary>
/// One call's copy of a TEN app's graph (<c>v2v serve --graph</c>), the phone in the place the page takes in a browser
/// session: each node bound to <c>playground_rtc</c> (the app's <c>agora_rtc</c>) runs <see cref="PhoneRtc"/> instead.
/// Each <c>openai_v2v</c> node gets the server's properties where the graph gives none (as in the browser), then what a
/// phone needs (8 kHz, 20 ms, paced, played where the marks say) and the call's custom parameters, which the TwiML's
/// owner chose for this number. Two connections are added from the phone node to the agent nodes where the app has
/// none: <c>audio_played</c> (the marks; TEN's RTC has no such message) and <c>text_data</c> (keypad digits).
/// </summary>
internal static class AppCallGraph
{
    /// <summary>The graph to start for one call.</summary>
    public static GraphDefinition Build(PlaygroundGraph app, CallSettings settings, JsonObject serverProperties)
    {
        var nodes = app.Graph.Nodes
            .Select(node => app.AgentNodes.Contains(node.Name)
                ? node with { Property = CallGraph.PhoneAgent(AppSessionGraph.AgentProperties(node.Property, serverProperties), settings) }
                : node)
            .ToList();
        var routes = app.Graph.Routes.ToList();
        foreach (var phone in AppSessionGraph.RtcNodes(app))
        {
            AppSessionGraph.AddUnlessRouted(routes, phone, "audio_played", app.AgentNodes, "phone call");
            AppSessionGraph.AddUnlessRouted(routes, phone, "text_data", app.AgentNodes, "phone call");
        }
        return new GraphDefinition(app.Graph.Name, nodes, routes) { AutoStart = app.Graph.AutoStart };
    }

    /// <summary>The graph host's settings for a call: the app's bindings, with its RTC node(s) bound to the phone.</summary>
    public static GraphHostOptions HostOptions(PlaygroundGraph app, SessionContext context)
    {
        var options = new GraphHostOptions { LoggerFactory = context.LoggerFactory, Environment = context.Environment };
        foreach (var (node, addon) in app.Bindings)
        {
            options.Bindings[node] = addon == PlaygroundGraph.RtcAddon ? PhoneRtc.AddonName : addon;
        }
        return options;
    }
}
