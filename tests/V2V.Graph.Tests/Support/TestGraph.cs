using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Ten;

namespace V2V.Graph.Tests.Support;

/// <summary>Starts graphs written inline over the built-ins and the test extensions.</summary>
public static class TestGraph
{
    public static AddonRegistry Registry(Journal journal, params ExtensionAddon[] more)
    {
        var registry = new AddonRegistry().AddBuiltIns()
            .Add(TestAddon.Create(Probe.Addon, () => new Probe(journal)))
            .Add(TestAddon.Create(Echo.Addon, () => new Echo()));
        foreach (var addon in more)
        {
            registry.Add(addon);
        }
        return registry;
    }

    public static Task<RunningGraph> StartAsync(string json, Journal journal, int capacity = 100, params ExtensionAddon[] more) =>
        new GraphHost(Registry(journal, more), new GraphHostOptions { MessageQueueCapacity = capacity })
            .StartAsync(GraphJson.Parse(json), TestContext.Current.CancellationToken);

    /// <summary>A graph of probes named <paramref name="names"/> with the given connections JSON.</summary>
    public static string Probes(string connections, params string[] names) =>
        $$"""{ "nodes": [ {{string.Join(", ", names.Select(n => $$"""{ "type": "extension", "name": "{{n}}", "addon": "probe" }"""))}} ], "connections": {{connections}} }""";

    public static T Get<T>(this RunningGraph graph, string name) where T : Extension => (T)graph.GetExtension(name);
}
