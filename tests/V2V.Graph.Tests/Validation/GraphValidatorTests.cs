using V2V.Graph.Definition;
using V2V.Graph.Tests.Support;
using V2V.Graph.Validation;

namespace V2V.Graph.Tests.Validation;

public sealed class GraphValidatorTests
{
    private static GraphPlan Validate(string json, Func<string, string?>? environment = null) =>
        GraphValidator.Validate(GraphJson.Parse(json), TestGraph.Registry(new Journal(), StandInV2V.Addon()), environment ?? (_ => null));

    private static IReadOnlyList<string> Problems(string json) =>
        Assert.Throws<GraphValidationException>(() => Validate(json)).Problems;

    private static string Only(string json) => Assert.Single(Problems(json));

    [Fact]
    public void DefaultGraph_IsValidAgainstTheOpenAIV2VManifest()
    {
        var plan = Validate(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "graphs", "default.json")));

        Assert.Equal(["source", "v2v", "sink", "transcript", "time"], plan.Nodes.Select(n => n.Name));
        Assert.Equal("", plan.Nodes[1].Properties["api_key"]!.GetValue<string>());
        Assert.Contains(plan.Routes, r => r.Source == "v2v" && r.MessageName == "tool_call" && r.Destinations.SequenceEqual(["time"]));
        Assert.Contains(plan.Routes, r => r.Source == "time" && r.MessageName == "tool_register" && r.Destinations.SequenceEqual(["v2v"]));
    }

    [Fact]
    public void UnknownAddon_NamesTheNodeAndListsTheRegisteredAddons()
    {
        var problem = Only("""{ "nodes": [ { "name": "v", "addon": "openai_v3v" } ] }""");

        Assert.Contains("node 'v'", problem, StringComparison.Ordinal);
        Assert.Contains("'openai_v3v'", problem, StringComparison.Ordinal);
        Assert.Contains("wav_file_source", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateNodeName_IsAnError()
    {
        var problem = Only("""{ "nodes": [ { "name": "p", "addon": "probe" }, { "name": "p", "addon": "echo" } ] }""");

        Assert.Contains("node 'p' is declared more than once", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RouteFromNoNode_IsAnError()
    {
        var problem = Only("""
            { "nodes": [ { "name": "p", "addon": "probe" } ],
              "connections": [ { "extension": "ghost", "data": [ { "name": "text_data", "dest": [ { "extension": "p" } ] } ] } ] }
            """);

        Assert.Contains("source 'ghost' is not a node", problem, StringComparison.Ordinal);
        Assert.Contains("connections[0].data[0]", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RouteToNoNode_IsAnError()
    {
        var problem = Only("""
            { "nodes": [ { "name": "p", "addon": "probe" } ],
              "connections": [ { "extension": "p", "cmd": [ { "name": "flush", "dest": [ { "extension": "ghost" } ] } ] } ] }
            """);

        Assert.Contains("cmd 'flush' from 'p' to 'ghost'", problem, StringComparison.Ordinal);
        Assert.Contains("destination 'ghost' is not a node", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MessageTheSourceDoesNotSend_IsAnError_NamingBothEnds()
    {
        var problem = Only("""
            { "nodes": [ { "name": "time", "addon": "time_tool" }, { "name": "p", "addon": "probe" } ],
              "connections": [ { "extension": "time", "cmd": [ { "name": "flush", "dest": [ { "extension": "p" } ] } ] } ] }
            """);

        Assert.Equal(
            "connections[0].cmd[0]: cmd 'flush' from 'time' to 'p': 'time' (time_tool) does not declare 'flush' in cmd_out (it declares: tool_register).",
            problem);
    }

    [Fact]
    public void MessageTheDestinationDoesNotTake_IsAnError_NamingBothEnds()
    {
        var problem = Only("""
            { "nodes": [ { "name": "v2v", "addon": "openai_v2v" }, { "name": "time", "addon": "time_tool" } ],
              "connections": [ { "extension": "v2v", "cmd": [ { "name": "flush", "dest": [ { "extension": "time" } ] } ] } ] }
            """);

        Assert.Contains("cmd 'flush' from 'v2v' to 'time'", problem, StringComparison.Ordinal);
        Assert.Contains("'time' (time_tool) does not declare 'flush' in cmd_in (it declares: tool_call)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MessageNotInTheSourcesDeclaredList_IsAnError()
    {
        var problem = Only("""
            { "nodes": [ { "name": "v2v", "addon": "openai_v2v" }, { "name": "p", "addon": "probe" } ],
              "connections": [ { "extension": "v2v", "cmd": [ { "name": "hangup", "dest": [ { "extension": "p" } ] } ] } ] }
            """);

        Assert.Contains("'v2v' (openai_v2v) does not declare 'hangup' in cmd_out (it declares: flush, tool_call, on_user_joined, on_user_left)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestDeclaringNoMessagesOfAKind_IsTakenLeniently()
    {
        var plan = Validate("""
            { "nodes": [ { "name": "a", "addon": "probe" }, { "name": "b", "addon": "probe" } ],
              "connections": [ { "extension": "a", "cmd": [ { "name": "anything", "dest": [ { "extension": "b" } ] } ] } ] }
            """);

        Assert.Single(plan.Routes);
    }

    [Fact]
    public void DataCycle_IsNoted_NotRefused()
    {
        var plan = Validate("""
            { "nodes": [ { "name": "a", "addon": "probe" }, { "name": "b", "addon": "probe" } ],
              "connections": [
                { "extension": "a", "data": [ { "name": "text_data", "dest": [ { "extension": "b" } ] } ] },
                { "extension": "b", "data": [ { "name": "text_data", "dest": [ { "extension": "a" } ] } ] } ] }
            """);

        Assert.Contains("data 'text_data' routes form a cycle: a -> b -> a", Assert.Single(plan.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void AudioCycleThroughThreeNodes_IsNoted_AsTenGraphsHaveThemThroughTheirTransport()
    {
        var plan = Validate("""
            { "nodes": [ { "name": "a", "addon": "probe" }, { "name": "b", "addon": "echo" }, { "name": "c", "addon": "probe" } ],
              "connections": [
                { "extension": "a", "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "b" } ] } ] },
                { "extension": "b", "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "c" } ] } ] },
                { "extension": "c", "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "a" } ] } ] } ] }
            """);

        Assert.Contains("audio_frame 'pcm_frame' routes form a cycle: a -> b -> c -> a", Assert.Single(plan.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void CmdRoutesBothWays_AndDataOfDifferentNamesBothWays_AreNotCycles()
    {
        var plan = Validate("""
            { "nodes": [ { "name": "a", "addon": "probe" }, { "name": "b", "addon": "probe" } ],
              "connections": [
                { "extension": "a", "cmd": [ { "name": "flush", "dest": [ { "extension": "b" } ] } ], "data": [ { "name": "question", "dest": [ { "extension": "b" } ] } ] },
                { "extension": "b", "cmd": [ { "name": "flush", "dest": [ { "extension": "a" } ] } ], "data": [ { "name": "answer", "dest": [ { "extension": "a" } ] } ] } ] }
            """);

        Assert.Equal(4, plan.Routes.Count);
    }

    [Fact]
    public void BadProperty_NamesTheNodeAndTheProperty()
    {
        var problem = Only("""{ "nodes": [ { "name": "source", "addon": "wav_file_source", "property": { "path": "q.wav", "frame_ms": "ten" } } ] }""");

        Assert.Contains("node 'source' (wav_file_source)", problem, StringComparison.Ordinal);
        Assert.Contains("'frame_ms'", problem, StringComparison.Ordinal);
        Assert.Contains("an integer", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredProperty_NamesIt()
    {
        var problem = Only("""{ "nodes": [ { "name": "sink", "addon": "wav_file_sink" } ] }""");

        Assert.Contains("node 'sink' (wav_file_sink)", problem, StringComparison.Ordinal);
        Assert.Contains("'path' is required", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEnvironmentVariable_OfARequiredProperty_NamesTheNodePropertyAndVariable()
    {
        // An unset variable leaves its property unset (as TEN does): a problem only when the property is required.
        var problem = Only("""{ "nodes": [ { "name": "sink", "addon": "wav_file_sink", "property": { "path": "${env:V2V_TEST_UNSET_VARIABLE}" } } ] }""");

        Assert.Contains("node 'sink'", problem, StringComparison.Ordinal);
        Assert.Contains("'path'", problem, StringComparison.Ordinal);
        Assert.Contains("V2V_TEST_UNSET_VARIABLE", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var problems = Problems("""
            { "nodes": [
                { "name": "a", "addon": "nope" },
                { "name": "b", "addon": "probe" },
                { "name": "b", "addon": "probe" },
                { "name": "sink", "addon": "wav_file_sink", "property": { "path": 3 } } ],
              "connections": [ { "extension": "b", "data": [ { "name": "x", "dest": [ { "extension": "ghost" } ] } ] } ] }
            """);

        Assert.Equal(4, problems.Count);
        var message = new GraphValidationException(problems).Message;
        Assert.Contains("4 problems", message, StringComparison.Ordinal);
    }
}
