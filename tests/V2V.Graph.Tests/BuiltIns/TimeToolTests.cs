using System.Text.Json.Nodes;
using V2V.Graph.BuiltIns;
using V2V.Graph.Hosting;
using V2V.Graph.Tests.Support;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.BuiltIns;

public sealed class TimeToolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(RunningGraph Graph, ITenEnv V2V)> StartAsync()
    {
        var fixedClock = new FixedClock(new DateTimeOffset(2026, 11, 25, 13, 3, 0, TimeSpan.Zero));
        var addon = new ExtensionAddon("time_tool_fixed", TimeTool.Addon().Manifest, [], () => new TimeTool(fixedClock));
        var graph = await TestGraph.StartAsync("""
            { "nodes": [ { "name": "v2v", "addon": "probe" }, { "name": "time", "addon": "time_tool_fixed" } ],
              "connections": [
                { "extension": "v2v", "cmd": [ { "name": "tool_call", "dest": [ { "extension": "time" } ] } ] },
                { "extension": "time", "cmd": [ { "name": "tool_register", "dest": [ { "extension": "v2v" } ] } ] } ] }
            """, new Journal(), more: addon);
        return (graph, await graph.Get<Probe>("v2v").Env);
    }

    private static Cmd ToolCall(string? name, JsonNode? args)
    {
        var cmd = new Cmd("tool_call");
        cmd.Set("name", name);
        cmd.Set("args", args);
        return cmd;
    }

    [Fact]
    public async Task OnStart_RegistersTheToolWithAJsonSchemaString()
    {
        var (graph, _) = await StartAsync();
        await using var _1 = graph;

        var register = Assert.IsType<Cmd>(Assert.Single(graph.Get<Probe>("v2v").Received));
        Assert.Equal("tool_register", register.Name);
        Assert.Equal("get_current_time", register.GetString("name"));
        Assert.False(string.IsNullOrWhiteSpace(register.GetString("description")));
        var schema = JsonNode.Parse(register.GetString("parameters")!)!;
        Assert.Equal("object", schema["type"]!.GetValue<string>());
        Assert.Equal("string", schema["properties"]!["timezone"]!["type"]!.GetValue<string>());
        Assert.Equal("timezone", schema["required"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task ToolCall_AnswersTheLocalTimeOfTheZone()
    {
        var (graph, v2v) = await StartAsync();
        await using var _1 = graph;

        var result = await v2v.SendCmdAsync(ToolCall("get_current_time", """{"timezone":"Europe/Paris"}"""), Ct);

        Assert.Equal(StatusCode.Ok, result.Status);
        var response = JsonNode.Parse(result.GetString("response")!)!;
        Assert.Equal("Europe/Paris", response["timezone"]!.GetValue<string>());
        Assert.Equal("2026-11-25T14:03:00+01:00", response["local_time"]!.GetValue<string>());
        Assert.Equal(1, graph.Get<TimeTool>("time").Calls);
    }

    [Theory]
    [InlineData("get_current_time", """{"timezone":"Mars/Olympus_Mons"}""", "unknown time zone 'Mars/Olympus_Mons'")]
    [InlineData("get_current_time", """{"timezone":""}""", "'timezone' is required")]
    [InlineData("get_current_time", """{"zone":"Europe/Paris"}""", "'timezone' is required")]
    [InlineData("get_current_time", """{"timezone":""", "'args' is not valid JSON")]
    [InlineData("get_current_time", "[1]", "'args' must be a JSON object")]
    [InlineData("get_weather", """{"timezone":"Europe/Paris"}""", "unknown tool 'get_weather'")]
    public async Task ToolCall_WithBadInput_AnswersAnErrorNamingTheProblem(string name, string args, string expected)
    {
        var (graph, v2v) = await StartAsync();
        await using var _1 = graph;

        var result = await v2v.SendCmdAsync(ToolCall(name, args), Ct);

        Assert.Equal(StatusCode.Error, result.Status);
        Assert.Contains(expected, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolCall_WithoutArgs_AnswersAnError()
    {
        var (graph, v2v) = await StartAsync();
        await using var _1 = graph;

        var result = await v2v.SendCmdAsync(ToolCall("get_current_time", null), Ct);

        Assert.Equal(StatusCode.Error, result.Status);
        Assert.Contains("'args' is missing", result.Detail, StringComparison.Ordinal);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
