using V2V.Graph.Definition;
using V2V.Graph.Tests.Support;
using V2V.Graph.Validation;

namespace V2V.Graph.Tests.Validation;

public sealed class ConnectionFormatTests
{
    private const string Nodes = """[ { "name": "a", "addon": "probe" }, { "name": "b", "addon": "probe" }, { "name": "c", "addon": "probe" } ]""";

    [Fact]
    public void SourceFlows_RouteFromEachSourceToTheConnectionsExtension()
    {
        var graph = GraphJson.Parse($$"""
            { "nodes": {{Nodes}}, "connections": [ { "extension": "c", "cmd": [ { "names": ["x", "y"], "source": [ { "extension": "a" }, { "extension": "b" } ] } ] } ] }
            """);

        Assert.Equal(["a x c", "a y c", "b x c", "b y c"], graph.Routes.Select(r => $"{r.Source} {r.MessageName} {string.Join(",", r.Destinations)}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TenKey_0_10_IsReadLikeUnderscoreTen()
    {
        var graph = GraphJson.Parse($$"""
            { "ten": { "predefined_graphs": [ { "name": "g", "auto_start": true, "graph": { "nodes": {{Nodes}} } } ] } }
            """);

        Assert.Equal("g", graph.Name);
        Assert.Equal(3, graph.Nodes.Count);
    }

    [Fact]
    public void MsgConversion_IsReadPerDestination_WithTheRenameApart()
    {
        var graph = GraphJson.Parse($$"""
            { "nodes": {{Nodes}}, "connections": [ { "extension": "a", "cmd": [ { "name": "hello", "dest": [
                { "extension": "b", "msg_conversion": { "type": "per_property", "keep_original": true, "rules": [
                    { "path": "ten.name", "conversion_mode": "fixed_value", "value": "hi" },
                    { "path": "extra.tags[1]", "conversion_mode": "from_original", "original_path": "tag" } ],
                  "result": { "type": "per_property", "rules": [ { "path": "answer", "conversion_mode": "from_original", "original_path": "detail.text" } ] } } },
                { "extension": "c" } ] } ] } ] }
            """);

        var route = Assert.Single(graph.Routes);
        var conversion = route.ConversionTo("b");
        Assert.NotNull(conversion);
        Assert.Null(route.ConversionTo("c"));
        Assert.Equal("hi", conversion.Rename);
        Assert.True(conversion.KeepOriginal);
        Assert.Equal("extra.tags[1]", Assert.Single(conversion.Rules).Path.Text);
        Assert.NotNull(conversion.Result);
    }

    [Fact]
    public void MsgConversion_Malformed_EveryRuleIsReported()
    {
        var ex = Assert.Throws<GraphValidationException>(() => GraphJson.Parse($$"""
            { "nodes": {{Nodes}}, "connections": [ { "extension": "a", "data": [ { "name": "d", "dest": [
                { "extension": "b", "msg_conversion": { "type": "per_message", "rules": [
                    { "path": "x", "conversion_mode": "copy" },
                    { "path": "y", "conversion_mode": "fixed_value" },
                    { "path": "z[", "conversion_mode": "from_original", "original_path": "q" },
                    { "path": "ten.dest", "conversion_mode": "fixed_value", "value": "c" } ] } } ] } ] } ] }
            """));

        Assert.Equal(5, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("type 'per_message' is not supported", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("rules[0]: conversion_mode 'copy'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("rules[1]: a fixed_value rule needs \"value\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("rules[2]: \"path\": 'z[' has a malformed index", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("rules[3]: 'ten.dest'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_ChecksTheRenamedName_AgainstTheDestinationsManifest_AndRefusesFrameConversions()
    {
        var strict = TestAddon.Create("strict", () => new Probe(new Journal()), """{ "data_in": [ { "name": "renamed" } ], "cmd_in": [ { "name": "renamed" } ] }""");
        var graph = GraphJson.Parse("""
            { "nodes": [ { "name": "a", "addon": "probe" }, { "name": "s", "addon": "strict" } ],
              "connections": [ { "extension": "a",
                "data": [ { "name": "d", "dest": [ { "extension": "s", "msg_conversion": { "type": "per_property", "rules": [ { "path": "ten.name", "conversion_mode": "fixed_value", "value": "renamed" } ] } } ] } ],
                "cmd": [ { "name": "c", "dest": [ { "extension": "s", "msg_conversion": { "type": "per_property", "rules": [ { "path": "ten.name", "conversion_mode": "fixed_value", "value": "other" } ] } } ] } ],
                "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "s", "msg_conversion": { "type": "per_property", "rules": [ { "path": "k", "conversion_mode": "fixed_value", "value": 1 } ] } } ] } ] } ] }
            """);

        var ex = Assert.Throws<GraphValidationException>(() => GraphValidator.Validate(graph, TestGraph.Registry(new Journal(), strict)));

        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains("cmd 'c' from 'a' to 's': 's' (strict) does not declare 'other' in cmd_in", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("msg_conversion of audio_frame is not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void Bindings_ThatNameNoNode_AreReported()
    {
        var graph = GraphJson.Parse($$"""{ "nodes": {{Nodes}} }""");

        var ex = Assert.Throws<GraphValidationException>(() => GraphValidator.Validate(graph, TestGraph.Registry(new Journal()), bindings: new Dictionary<string, string> { ["nope"] = "probe" }));

        Assert.Contains("--bind nope=probe: the graph has no node 'nope'", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void PropertyPath_SetsAndGetsNestedObjectsAndArrays()
    {
        var path = PropertyPath.TryParse("a.b[2][1].c", out var error);
        var properties = new System.Text.Json.Nodes.JsonObject();

        Assert.NotNull(path);
        Assert.Null(error);
        path.Set(properties, 5);
        Assert.Equal("""{"a":{"b":[null,null,[null,{"c":5}]]}}""", properties.ToJsonString());
        Assert.Equal(5, path.Get(properties)!.GetValue<int>());
        Assert.Null(PropertyPath.TryParse("a.x", out _)!.Get(properties));
    }
}
