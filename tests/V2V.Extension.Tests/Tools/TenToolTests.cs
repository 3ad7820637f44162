using System.Collections.Concurrent;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using V2V.Extension.Tests.Support;
using V2V.Extension.Tools;
using V2V.Ten.Messages;

namespace V2V.Extension.Tests.Tools;

/// <summary>
/// A tool a TEN node registers is an <see cref="AIFunction"/>, as a .NET host's own functions are: one session offers
/// and calls both kinds the same way, and a node that fails or hangs gives the model an output naming the fault.
/// </summary>
public sealed class TenToolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ARegisteredTool_IsAnAIFunction_WithTheSchemaItsParametersDescribe()
    {
        var tenAiBase = new Cmd("tool_register");
        tenAiBase.Set("tool", """
            {"name":"get_weather","description":"The weather of a city.","parameters":[
              {"name":"city","type":"string","description":"The city.","required":true},
              {"name":"days","type":"integer","description":"How many days.","required":false},
              {"name":"units","type":"array","description":"Units.","items":{"type":"string"}}]}
            """);
        var older = new Cmd("tool_register");
        older.Set("name", "get_clock").Set("description", "The time of a zone.").Set("parameters", """{"type":"object","properties":{"zone":{"type":"string"}},"required":["zone"]}""");

        var (weather, weatherError) = TenToolRegistration.Read(tenAiBase, new DirectEnv());
        var (clock, clockError) = TenToolRegistration.Read(older, new DirectEnv());

        Assert.Null(weatherError);
        Assert.Null(clockError);
        AIFunction function = Assert.IsAssignableFrom<AIFunction>(weather);
        Assert.Equal("get_weather", function.Name);
        Assert.Equal("The weather of a city.", function.Description);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"type":"object","properties":{
              "city":{"type":"string","description":"The city."},
              "days":{"type":"integer","description":"How many days."},
              "units":{"type":"array","description":"Units.","items":{"type":"string"}}},
             "required":["city"],"additionalProperties":false}
            """), JsonNode.Parse(function.JsonSchema.GetRawText())), function.JsonSchema.GetRawText());
        Assert.Equal("get_clock", clock!.Name);
        Assert.Equal("""{"type":"object","properties":{"zone":{"type":"string"}},"required":["zone"]}""", clock.JsonSchema.GetRawText());
    }

    [Fact]
    public async Task AHostFunction_AndATenTool_InOneSession_AreBothOffered_AndBothCalled()
    {
        var rates = new ConcurrentQueue<string>();
        [Description("The exchange rate of a currency to the euro.")]
        object GetExchangeRate([Description("An ISO 4217 code")] string currency)
        {
            rates.Enqueue(currency);
            return new { currency, rate = 1.08 };
        }
        var tools = new TenAiBaseTools();
        await using var harness = await StartAsync(tools, [AIFunctionFactory.Create(GetExchangeRate, name: "get_exchange_rate")]);
        await harness.WaitForSentAsync("session.update", e => e.GetRawText().Contains("get_clock", StringComparison.Ordinal), "the node's tools");

        var offered = harness.Sent("session.update").Select(e => e.GetProperty("session")).Last(s => s.TryGetProperty("tools", out _)).GetProperty("tools")
            .EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("parameters"));
        Assert.Equal("string", offered["get_exchange_rate"].GetProperty("properties").GetProperty("currency").GetProperty("type").GetString());
        Assert.Equal("string", offered["get_weather"].GetProperty("properties").GetProperty("city").GetProperty("type").GetString());

        await harness.Text!.SayAsync("get_exchange_rate USD", Ct);
        await harness.WaitForSentAsync("conversation.item.create", e => IsOutput(e, "1.08"), "the host function's output");
        await harness.WaitForAsync(p => GraphHarness.AssistantTurnsClosed(p, 1), "the answer with the rate");
        await harness.Text.SayAsync("get_weather Paris", Ct);
        await harness.WaitForSentAsync("conversation.item.create", e => IsOutput(e, "sunny in Paris"), "the TEN tool's output");
        await harness.WaitForAsync(p => GraphHarness.AssistantTurnsClosed(p, 2), "the answer with the weather");

        Assert.Equal("USD", Assert.Single(rates));
        var call = Assert.Single(tools.Calls);
        Assert.Equal("get_weather", call.GetString("name"));
        Assert.Equal("Paris", Assert.IsType<JsonObject>(call.Properties["arguments"])["city"]!.GetValue<string>());
        var rate = JsonDocument.Parse(OutputOf(harness.Sent("conversation.item.create").First(e => IsOutput(e, "1.08")))).RootElement;
        Assert.Equal("USD", rate.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task ATenToolThatNeverAnswers_GivesTheModelAnOutputNamingTheTimeout_AndTheConversationGoesOn()
    {
        var tools = new TenAiBaseTools();
        await using var harness = await StartAsync(tools, [], toolTimeoutMs: 500);
        await harness.WaitForSentAsync("session.update", e => e.GetRawText().Contains("get_stuck", StringComparison.Ordinal), "the node's tools");

        try
        {
            await harness.Text!.SayAsync("get_stuck now", Ct);
            await harness.WaitForSentAsync("conversation.item.create", e => IsOutput(e, "did not answer within 0.5 s"), "an output naming the timeout");
            await harness.WaitForAsync(p => GraphHarness.AssistantTurnsClosed(p, 1), "the answer after the timeout");
        }
        finally
        {
            tools.Unstick(); // else the graph's stop would wait for the hung node
        }

        Assert.Contains("get_stuck", OutputOf(harness.Sent("conversation.item.create").Single(e => IsOutput(e, "did not answer"))), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Sent("conversation.item.create"), e => IsOutput(e, "too late"));
    }

    private static Task<GraphHarness> StartAsync(TenAiBaseTools tools, IReadOnlyList<AIFunction> hostTools, int toolTimeoutMs = 30_000) =>
        GraphHarness.StartAsync(null, new JsonObject
        {
            ["api_key"] = "",
            ["audio_out"] = false,
            ["pace_output"] = false,
            ["greet_on_join"] = false,
            ["tool_timeout_ms"] = toolTimeoutMs,
        }, textSource: "unused", addons: [tools.Addon()], v2vTools: hostTools, extend: (nodes, connections) =>
        {
            nodes.Add(new JsonObject { ["type"] = "extension", ["name"] = "tools", ["addon"] = TenAiBaseTools.AddonName });
            connections.OfType<JsonObject>().First(c => c["extension"]!.GetValue<string>() == "v2v")["cmd"] =
                new JsonArray(GraphHarness.Route("flush", "probe"), GraphHarness.Route("tool_call", "tools"));
            connections.Add(new JsonObject { ["extension"] = "tools", ["cmd"] = new JsonArray(GraphHarness.Route("tool_register", "v2v")) });
        });

    private static string OutputOf(JsonElement e) => e.GetProperty("item").GetProperty("output").GetString()!;

    private static bool IsOutput(JsonElement e, string contains) =>
        e.GetProperty("item").GetProperty("type").GetString() == "function_call_output" && OutputOf(e).Contains(contains, StringComparison.Ordinal);
}
