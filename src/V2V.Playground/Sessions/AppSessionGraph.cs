using System.Text.Json.Nodes;
using V2V.Graph;
using V2V.Graph.Definition;

namespace V2V.Playground.Sessions;

/// <summary>
/// One browser session's copy of a TEN app's graph (<see cref="PlaygroundGraph"/>): the same nodes and connections,
/// with the server's agent properties (key, endpoint, model...) and the page's settings laid over each
/// <c>openai_v2v</c> node only where the graph gives none: the app's own choices stand. The output rate is the page's.
/// The page says what it played: a connection <c>audio_played</c> from the RTC node to the agents is added where the
/// app has none (TEN's RTC has no such message), and the agents believe it (<c>played_reports</c>) when the page said
/// it reports (<c>reportsPlayed</c>).
/// </summary>
internal static class AppSessionGraph
{
    /// <summary>The graph to start for one session.</summary>
    public static GraphDefinition Build(PlaygroundGraph app, SessionSettings settings, JsonObject serverProperties)
    {
        var nodes = app.Graph.Nodes
            .Select(node => app.AgentNodes.Contains(node.Name) ? node with { Property = AgentProperties(node.Property, settings, serverProperties) } : node)
            .ToList();
        var routes = app.Graph.Routes.ToList();
        foreach (var rtc in RtcNodes(app))
        {
            AddUnlessRouted(routes, rtc, "audio_played", app.AgentNodes, "browser session");
        }
        return new GraphDefinition(app.Graph.Name, nodes, routes) { AutoStart = app.Graph.AutoStart };
    }

    /// <summary>The app's RTC nodes (bound to <c>agora_rtc</c>'s stand-in): a page, or a phone call, in their place.</summary>
    public static IEnumerable<string> RtcNodes(PlaygroundGraph app) =>
        app.Bindings.Where(b => b.Value == PlaygroundGraph.RtcAddon).Select(b => b.Key);

    /// <summary>Adds the data connection <paramref name="name"/> from <paramref name="source"/> to the agents, unless the app has one.</summary>
    public static void AddUnlessRouted(List<GraphRoute> routes, string source, string name, IReadOnlyList<string> agents, string why)
    {
        if (agents.Count > 0 && !routes.Any(r => r.Source == source && r.Kind == MessageKind.Data && r.MessageName == name))
        {
            routes.Add(new GraphRoute(source, MessageKind.Data, name, [.. agents], $"{why}: {source} data {name}"));
        }
    }

    /// <summary>The graph's properties of an agent node, with the server's laid over where the graph gives none (no page settings).</summary>
    public static JsonObject AgentProperties(JsonObject graphProperties, JsonObject serverProperties) =>
        Overlay((JsonObject)graphProperties.DeepClone(), serverProperties);

    private static JsonObject AgentProperties(JsonObject graphProperties, SessionSettings settings, JsonObject serverProperties)
    {
        var agent = AgentProperties(graphProperties, serverProperties);
        var page = new JsonObject
        {
            ["voice"] = settings.Voice,
            ["turn_detection"] = settings.TurnMode,
            ["audio_out"] = true,
            ["input_transcript"] = true,
        };
        if (settings.Instructions.Length > 0)
        {
            page["system_message"] = settings.Instructions;
        }
        Overlay(agent, page);
        // The page plays what it is told in ready: the agent speaks at that rate, whatever the app's RTC rate was.
        agent["sample_rate"] = (long)SessionGraph.OutputSampleRate;
        agent["played_reports"] = settings.ReportsPlayed; // the page's 'played', through the connection Build adds
        return agent;
    }

    private static JsonObject Overlay(JsonObject target, JsonObject under)
    {
        foreach (var (name, value) in under)
        {
            if (!target.ContainsKey(name))
            {
                target[name] = value?.DeepClone();
            }
        }
        return target;
    }
}
