using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Graph.Tests.Support;
using V2V.Graph.Validation;

namespace V2V.Graph.Tests.Validation;

/// <summary>TEN-Agent's own v2v graphs, read from the shared fixtures as a TEN user would point this host at them.</summary>
public sealed class TenFixtureTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => "";

    private static AddonRegistry Registry() => TestGraph.Registry(new Journal(), StandInV2V.Addon());

    [Theory]
    [MemberData(nameof(TenFixtures.V2VGraphs), MemberType = typeof(TenFixtures))]
    public void V2VGraph_Parses_WithItsNodesAndConnections(string file, string graph)
    {
        var definition = GraphJson.Load(TenFixtures.File(file), graph);

        Assert.Equal(graph, definition.Name);
        Assert.True(definition.AutoStart);
        Assert.Contains(definition.Nodes, n => n.Name == "v2v" && n.Addon == "openai_v2v_python");
        Assert.Contains(definition.Routes, r => r.Source == "v2v" && r.MessageName == "text_data" && r.Destinations.Contains("message_collector"));
        Assert.Contains(definition.Routes, r => r.Source == "agora_rtc" && r.MessageName == "pcm_frame" && r.Destinations.Contains("v2v"));
    }

    [Theory]
    [MemberData(nameof(TenFixtures.V2VGraphs), MemberType = typeof(TenFixtures))]
    public void V2VGraph_Unbound_NamesEveryUnavailableAddon_AndHowToBindIt(string file, string graph)
    {
        var definition = GraphJson.Load(TenFixtures.File(file), graph);
        var foreign = definition.Nodes.Where(n => n.Addon is not ("openai_v2v_python" or "message_collector")).ToList();

        var ex = Assert.Throws<GraphValidationException>(() => GraphValidator.Validate(definition, Registry(), NoEnvironment));

        Assert.Equal(foreign.ToDictionary(n => n.Name, n => n.Addon), ex.UnknownAddons);
        Assert.Contains("agora_rtc", ex.UnknownAddons.Keys);
        Assert.All(foreign, node => Assert.Contains(ex.Problems, p => p.Contains($"node '{node.Name}': unknown addon '{node.Addon}'", StringComparison.Ordinal)
            && p.Contains($"--bind {node.Name}=ADDON", StringComparison.Ordinal)));
        // openai_v2v_python is the alias of openai_v2v and message_collector a built-in: neither is a problem.
        Assert.DoesNotContain(ex.Problems, p => p.Contains("'v2v'", StringComparison.Ordinal) || p.Contains("'message_collector'", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TenFixtures.V2VGraphs), MemberType = typeof(TenFixtures))]
    public void V2VGraph_WithTheUnavailableNodesBound_Validates_AndKeepsTheConnections(string file, string graph)
    {
        var definition = GraphJson.Load(TenFixtures.File(file), graph);
        var bindings = definition.Nodes.Where(n => n.Addon is not ("openai_v2v_python" or "message_collector")).ToDictionary(n => n.Name, _ => Probe.Addon);

        var plan = GraphValidator.Validate(definition, Registry(), NoEnvironment, bindings);

        Assert.Equal("openai_v2v", plan.Nodes.Single(n => n.Name == "v2v").Addon.Name);
        Assert.Equal(Probe.Addon, plan.Nodes.Single(n => n.Name == "agora_rtc").Addon.Name);
        Assert.Contains(plan.Routes, r => r.Source == "message_collector" && r.MessageName == "data" && r.Destinations.Contains("agora_rtc"));
        // agora_rtc's properties were written for Agora: the probe declares none, so they are left out, with a note.
        Assert.Empty(plan.Nodes.Single(n => n.Name == "agora_rtc").Properties);
        Assert.Contains(plan.Notes, n => n.Contains("node 'agora_rtc' is bound to 'probe'", StringComparison.Ordinal) && n.Contains("app_id", StringComparison.Ordinal));
    }

    [Fact]
    public void StoryTeller_ThePromptReachesTheNodesProperties()
    {
        var definition = GraphJson.Load(TenFixtures.File("default.property.json"), "story_teller_realtime");

        var plan = GraphValidator.Validate(definition, Registry(), NoEnvironment, new Dictionary<string, string> { ["agora_rtc"] = Probe.Addon, ["openai_image_generate_tool"] = Probe.Addon });

        Assert.Contains("story", plan.Nodes.Single(n => n.Name == "v2v").Properties["prompt"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void LoadAll_ReadsEveryGraphOfTheApp_AndSelectToStart_TakesTheAutoStartOnesOrTheNamedOne()
    {
        var graphs = GraphJson.LoadAll(TenFixtures.File("demo.property.json"));

        Assert.Contains(graphs, g => g.Name == "va_coze_azure" && !g.AutoStart);
        Assert.Equal(graphs.Count - 1, GraphJson.SelectToStart(graphs).Count);
        Assert.Equal("va_openai_v2v", Assert.Single(GraphJson.SelectToStart(graphs, "va_openai_v2v")).Name);
    }

    [Fact]
    public async Task StartApp_WithTheAppsManyAutoStartGraphs_ReportsEachGraphsProblems_AndStartsNothing()
    {
        var graphs = GraphJson.LoadAll(TenFixtures.File("default.property.json"));
        var host = new GraphHost(Registry(), new GraphHostOptions { Environment = NoEnvironment });

        var ex = await Assert.ThrowsAsync<GraphValidationException>(() => host.StartAppAsync(graphs, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(ex.Problems, p => p.StartsWith("graph 'voice_assistant': ", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("graph 'story_teller_realtime': node 'agora_rtc': unknown addon", StringComparison.Ordinal));
    }
}
