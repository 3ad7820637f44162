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
        cmd.Set("arguments", args);
        return cmd;
    }

    [Fact]
    public async Task OnStart_RegistersTheToolAsTenAiBaseMetadata()
    {
        var (graph, _) = await StartAsync();
        await using var _1 = graph;

        var register = Assert.IsType<Cmd>(Assert.Single(graph.Get<Probe>("v2v").Received));
        Assert.Equal("tool_register", register.Name);
        var tool = Assert.IsType<JsonObject>(register.Properties["tool"]);
        Assert.Equal("get_current_time", tool["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(tool["description"]!.GetValue<string>()));
        var parameter = Assert.IsType<JsonObject>(Assert.Single(Assert.IsType<JsonArray>(tool["parameters"])));
        Assert.Equal("timezone", parameter["name"]!.GetValue<string>());
        Assert.Equal("string", parameter["type"]!.GetValue<string>());
        Assert.True(parameter["required"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ToolCall_AnswersTheLocalTimeOfTheZone_AsAnLlmResult(bool argumentsAsObject)
    {
        var (graph, v2v) = await StartAsync();
        await using var _1 = graph;
        const string Arguments = """{"timezone":"Europe/Paris"}""";

        var result = await v2v.SendCmdAsync(ToolCall("get_current_time", argumentsAsObject ? JsonNode.Parse(Arguments) : (JsonNode)Arguments), Ct);

        Assert.Equal(StatusCode.Ok, result.Status);
        var toolResult = Assert.IsType<JsonObject>(result.Properties["tool_result"]);
        Assert.Equal("llmresult", toolResult["type"]!.GetValue<string>());
        var content = JsonNode.Parse(toolResult["content"]!.GetValue<string>())!;
        Assert.Equal("Europe/Paris", content["timezone"]!.GetValue<string>());
        Assert.Equal("2026-11-25T14:03:00+01:00", content["local_time"]!.GetValue<string>());
        Assert.Equal(1, graph.Get<TimeTool>("time").Calls);
    }

    [Fact]
    public async Task ToolCall_ForAnotherTool_IsAnEmptyOk()
    {
        var (graph, v2v) = await StartAsync();
        await using var _1 = graph;

        var result = await v2v.SendCmdAsync(ToolCall("get_weather", JsonNode.Parse("""{"city":"Paris"}""")), Ct);

        Assert.Equal(StatusCode.Ok, result.Status);
        Assert.Null(result.Properties["tool_result"]);
        Assert.Equal(0, graph.Get<TimeTool>("time").Calls);
    }

    [Theory]
    [InlineData("get_current_time", """{"timezone":"Mars/Olympus_Mons"}""", "unknown time zone 'Mars/Olympus_Mons'")]
    [InlineData("get_current_time", """{"timezone":""}""", "'timezone' is required")]
    [InlineData("get_current_time", """{"zone":"Europe/Paris"}""", "'timezone' is required")]
    [InlineData("get_current_time", """{"timezone":""", "'arguments' is not valid JSON")]
    [InlineData("get_current_time", "[1]", "'arguments' must be a JSON object")]
    public async Task ToolCall_WithBadInput_AnswersAnErrorNamingTheProblem(string name, string args, string expected)
    {
        var (graph, v2v) = await StartAsync();
        await using var _1 = graph;

        var result = await v2v.SendCmdAsync(ToolCall(name, args), Ct);

        Assert.Equal(StatusCode.Error, result.Status);
        Assert.Contains(expected, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolCall_WithoutArguments_AnswersAnError()
    {
        var (graph, v2v) = await StartAsync();
        await using var _1 = graph;

        var result = await v2v.SendCmdAsync(ToolCall("get_current_time", null), Ct);

        Assert.Equal(StatusCode.Error, result.Status);
        Assert.Contains("'arguments' is missing", result.Detail, StringComparison.Ordinal);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
