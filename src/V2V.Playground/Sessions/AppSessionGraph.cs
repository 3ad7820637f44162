using System.Text.Json.Nodes;
using V2V.Graph.Definition;

namespace V2V.Playground.Sessions;

/// <summary>
/// One browser session's copy of a TEN app's graph (<see cref="PlaygroundGraph"/>): the same nodes and connections,
/// with the server's agent properties (key, endpoint, model...) and the page's settings laid over each
/// <c>openai_v2v</c> node only where the graph gives none: the app's own choices stand. The output rate is the page's.
/// </summary>
internal static class AppSessionGraph
{
    /// <summary>The graph to start for one session.</summary>
    public static GraphDefinition Build(PlaygroundGraph app, SessionSettings settings, JsonObject serverProperties)
    {
        var nodes = app.Graph.Nodes
            .Select(node => app.AgentNodes.Contains(node.Name) ? node with { Property = AgentProperties(node.Property, settings, serverProperties) } : node)
            .ToList();
        return new GraphDefinition(app.Graph.Name, nodes, app.Graph.Routes) { AutoStart = app.Graph.AutoStart };
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
