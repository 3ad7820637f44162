using V2V.Graph.Definition;

namespace V2V.Graph.Tests.Validation;

public sealed class GraphJsonTests
{
    private const string Nodes = """[ { "type": "extension", "name": "p", "addon": "probe", "extension_group": "g", "property": { "k": 1 } } ]""";

    [Fact]
    public void Parse_ReadsABareGraph_FlatteningConnectionsIntoRoutes()
    {
        var graph = GraphJson.Parse($$"""
            { "nodes": {{Nodes}}, "connections": [ { "extension": "p",
                "cmd": [ { "name": "flush", "dest": [ { "extension": "a" }, { "extension": "b" } ] } ],
                "data": [ { "name": "text_data", "dest": [ { "extension": "a" } ] } ],
                "audio_frame": [ { "names": [ "pcm_frame", "pcm_frame_2" ], "dest": [ { "extension": "b" } ] } ] } ] }
            """);

        var node = Assert.Single(graph.Nodes);
        Assert.Equal(("p", "probe", "g"), (node.Name, node.Addon, node.ExtensionGroup));
        Assert.Equal(1, node.Property["k"]!.GetValue<int>());
        Assert.Equal(
            ["cmd 'flush' from 'p'", "data 'text_data' from 'p'", "audio_frame 'pcm_frame' from 'p'", "audio_frame 'pcm_frame_2' from 'p'"],
            graph.Routes.Select(r => r.ToString()));
        Assert.Equal(["a", "b"], graph.Routes[0].Destinations);
    }

    [Fact]
    public void Parse_ReadsAPropertyJson_PickingTheAutoStartGraph()
    {
        var graph = GraphJson.Parse($$"""
            { "_ten": { "predefined_graphs": [
                { "name": "other", "auto_start": false, "graph": { "nodes": [] } },
                { "name": "voice", "auto_start": true, "graph": { "nodes": {{Nodes}} } } ] } }
            """);

        Assert.Equal("voice", graph.Name);
        Assert.Single(graph.Nodes);
    }

    [Fact]
    public void Parse_ReadsAPropertyJson_PickingAGraphByName_InTheOlderFlatShape()
    {
        var graph = GraphJson.Parse($$"""
            { "_ten": { "predefined_graphs": [
                { "name": "first", "auto_start": true, "nodes": [], "connections": [] },
                { "name": "second", "nodes": {{Nodes}}, "connections": [] } ] } }
            """, graphName: "second");

        Assert.Equal("second", graph.Name);
        Assert.Equal("p", Assert.Single(graph.Nodes).Name);
    }

    [Fact]
    public void Parse_ReadsASinglePredefinedGraph()
    {
        var graph = GraphJson.Parse($$"""{ "name": "voice", "auto_start": true, "graph": { "nodes": {{Nodes}} } }""");

        Assert.Equal("voice", graph.Name);
        Assert.Single(graph.Nodes);
    }

    [Fact]
    public void Parse_UnknownGraphName_ListsTheGraphs()
    {
        var ex = Assert.Throws<GraphValidationException>(() => GraphJson.Parse("""
            { "_ten": { "predefined_graphs": [ { "name": "a", "graph": { "nodes": [] } }, { "name": "b", "graph": { "nodes": [] } } ] } }
            """, graphName: "c"));

        Assert.Contains("no predefined graph named 'c' (graphs: a, b)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidJson_SaysSoWithTheSource()
    {
        var ex = Assert.Throws<GraphValidationException>(() => GraphJson.Parse("{ \"nodes\": [", source: "my.json"));

        Assert.Contains("my.json: not valid JSON", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoNodes_ExplainsTheExpectedShapes()
    {
        var ex = Assert.Throws<GraphValidationException>(() => GraphJson.Parse("""{ "connections": [] }"""));

        Assert.Contains("no \"nodes\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedNodesAndConnections_AreAllReported()
    {
        var ex = Assert.Throws<GraphValidationException>(() => GraphJson.Parse("""
            { "nodes": [ { "name": "a" }, { "addon": "probe" }, { "name": "s", "addon": "x", "type": "subgraph" } ],
              "connections": [ { "cmd": [] }, { "extension": "a", "data": [ { "dest": [ { "extension": "b" } ] } ] },
                               { "extension": "a", "audio_frame": [ { "name": "pcm_frame" } ] } ] }
            """));

        Assert.Equal(6, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("node 'a': \"addon\" is missing", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("nodes[1]: \"name\" is missing", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("'subgraph' is not supported", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("connections[0]: \"extension\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("connections[1].data[0] (of 'a'): the message \"name\" is missing", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("audio_frame 'pcm_frame' of 'a' has neither \"dest\" nor \"source\"", StringComparison.Ordinal));
    }

    [Fact]
    public void ApplyOverrides_SetsNodePropertiesAsText_OrJsonForObjects()
    {
        var graph = GraphJson.Parse($$"""{ "nodes": {{Nodes}} }""");

        graph.ApplyOverrides(["p.path=my.wav", "p.k=2", "p.extra={\"a\":1}", "p.url=http://x/?a=b"]);

        var property = graph.Nodes[0].Property;
        Assert.Equal("my.wav", property["path"]!.GetValue<string>());
        Assert.Equal("2", property["k"]!.GetValue<string>());
        Assert.Equal(1, property["extra"]!["a"]!.GetValue<int>());
        Assert.Equal("http://x/?a=b", property["url"]!.GetValue<string>());
    }

    [Fact]
    public void ApplyOverrides_BadAssignments_AreAllReported()
    {
        var graph = GraphJson.Parse($$"""{ "nodes": {{Nodes}} }""");

        var ex = Assert.Throws<GraphValidationException>(() => graph.ApplyOverrides(["nope.path=x", "p-path=x", "p.=x"]));

        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains("no node 'nope'", ex.Problems[0], StringComparison.Ordinal);
    }
}
