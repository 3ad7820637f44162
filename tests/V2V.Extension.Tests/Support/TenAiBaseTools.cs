using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Extension.Tests.Support;

/// <summary>
/// A real extension for tests, registering and answering tools as TEN's tool extensions do. get_weather comes in
/// ten_ai_base's form (the <c>tool</c> property as the JSON text AsyncLLMToolBaseExtension sends, parameters as a
/// list) and answers in <c>tool_result</c> {type, content}; get_clock comes in the older string form and answers in
/// <c>response</c>; get_broken is registered in the ten_ai_base form and answers with an error status; get_stuck too,
/// and answers only once the test calls <see cref="Unstick"/> (a hung tool node), with an OK that comes too late.
/// </summary>
internal sealed class TenAiBaseTools : Ten.Extension
{
    public const string AddonName = "ten_ai_base_tools";

    private readonly TaskCompletionSource _unstuck = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<Cmd> Calls { get; } = new();

    /// <summary>Lets get_stuck answer (before the graph stops, which would otherwise wait for it).</summary>
    public void Unstick() => _unstuck.TrySetResult();

    public ExtensionAddon Addon() => new(AddonName, TestManifest.Create(AddonName, cmdIn: ["tool_call"], cmdOut: ["tool_register"]), [], () => this);

    public override async Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        await RegisterAsync(env, ToolObject("get_weather", "The weather of a city.", ("city", "string", "The city.", true)), cancellationToken);
        await RegisterAsync(env, ToolObject("get_broken", "A tool that fails.", ("what", "string", "Anything.", true)), cancellationToken);
        await RegisterAsync(env, ToolObject("get_stuck", "A tool that hangs.", ("what", "string", "Anything.", true)), cancellationToken);
        var clock = new Cmd("tool_register");
        clock.Set("name", "get_clock").Set("description", "The time of a zone.")
            .Set("parameters", """{"type":"object","properties":{"zone":{"type":"string"}},"required":["zone"]}""");
        await env.SendCmdAsync(clock, cancellationToken);
    }

    // AsyncLLMToolBaseExtension sets it with set_property_from_json(json.dumps(tool.model_dump_json())): JSON text.
    private static async Task RegisterAsync(ITenEnv env, JsonObject tool, CancellationToken cancellationToken)
    {
        var cmd = new Cmd("tool_register");
        cmd.Set("tool", tool.ToJsonString());
        await env.SendCmdAsync(cmd, cancellationToken);
    }

    private static JsonObject ToolObject(string name, string description, params (string Name, string Type, string Description, bool Required)[] parameters) => new()
    {
        ["name"] = name,
        ["description"] = description,
        ["parameters"] = new JsonArray([.. parameters.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["type"] = p.Type, ["description"] = p.Description, ["required"] = p.Required })]),
    };

    public override async Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        Calls.Enqueue(cmd);
        var arguments = cmd.Properties["arguments"] as JsonObject ?? [];
        switch (cmd.GetString("name"))
        {
            case "get_weather":
                var result = CmdResult.Ok();
                result.Set("tool_result", new JsonObject { ["type"] = "llmresult", ["content"] = $"sunny in {arguments["city"]}" });
                return result;
            case "get_clock":
                var clock = CmdResult.Ok();
                clock.Set("response", JsonSerializer.Serialize(new { zone = arguments["zone"]?.GetValue<string>(), time = "12:00" }));
                return clock;
            case "get_stuck":
                await _unstuck.Task.WaitAsync(cancellationToken);
                return CmdResult.Ok("too late");
            default:
                return CmdResult.Error("the tool broke");
        }
    }
}
