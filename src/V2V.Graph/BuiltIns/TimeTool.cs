using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// <c>time_tool</c>: a real tool for the model, speaking as a TEN <c>ten_ai_base</c> tool extension
/// (<c>AsyncLLMToolBaseExtension</c>). On start it registers <c>get_current_time</c> with a <c>tool_register</c> command
/// whose <c>tool</c> property is the tool's metadata (<c>LLMToolMetadata</c>: <c>name</c>, <c>description</c>, and
/// <c>parameters</c> as a list of <c>{name, type, description, required}</c>). It answers a <c>tool_call</c>
/// (<c>name</c>, <c>arguments</c> a JSON object) with <c>tool_result</c> = <c>{"type":"llmresult","content":"..."}</c>,
/// the content being <c>{"timezone":..., "local_time":"2026-11-25T14:03:00+01:00"}</c> as JSON text; a call for a tool it
/// does not own gets an empty OK (as ten_ai_base answers, so that the owner's answer wins in a fan-out); bad
/// arguments get an error naming the problem.
/// </summary>
public sealed partial class TimeTool : Extension
{
    /// <summary>The addon name.</summary>
    public const string AddonName = "time_tool";

    /// <summary>The tool's name as the model sees it.</summary>
    public const string ToolName = "get_current_time";

    /// <summary>The result type ten_ai_base gives a result the model answers from (<c>LLMToolResultLLMResult</c>).</summary>
    public const string ResultType = "llmresult";

    private const string Description = "Returns the current local date and time in an IANA time zone.";

    private readonly TimeProvider _time;
    private long _calls;

    /// <summary>Creates the tool over a clock (default: the system clock).</summary>
    public TimeTool(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>The addon: manifest, property.json defaults, factory.</summary>
    public static ExtensionAddon Addon() => new(AddonName, BuiltInManifest.Create(
            AddonName,
            new Dictionary<string, string>(),
            cmdIn: ["tool_call"],
            cmdOut: ["tool_register"]),
        [],
        () => new TimeTool());

    /// <summary>The tool's metadata as ten_ai_base's <c>LLMToolMetadata</c> has it (the <c>tool</c> of <c>tool_register</c>).</summary>
    public static JsonObject Metadata() => new()
    {
        ["name"] = ToolName,
        ["description"] = Description,
        ["parameters"] = new JsonArray(new JsonObject
        {
            ["name"] = "timezone",
            ["type"] = "string",
            ["description"] = "IANA time zone, e.g. Europe/Paris",
            ["required"] = true,
        }),
    };

    /// <summary>Tool calls of this tool answered (successes and errors).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Registers the tool; a refusal is logged, not fatal (the graph may have no model to register with).</summary>
    public override async Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        var register = new Cmd("tool_register");
        register.Set("tool", Metadata());
        var result = await env.SendCmdAsync(register, cancellationToken).ConfigureAwait(false);
        if (result is { Status: StatusCode.Error, Undelivered: true })
        {
            // The model's extension is not running: its own failure is the one to report, not this consequence of it.
            LogNotDelivered(env.Logger, env.Name, result.Detail);
        }
        else if (result.Status == StatusCode.Error)
        {
            LogNotRegistered(env.Logger, env.Name, result.Detail);
        }
    }

    /// <summary>Answers <c>tool_call</c>.</summary>
    public override Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.Name != "tool_call")
        {
            return base.OnCmdAsync(env, cmd, cancellationToken);
        }
        if (cmd.GetString("name") != ToolName)
        {
            // Another tool's call (a graph fans tool_call out to every tool): not ours, so no answer and no error.
            return Task.FromResult(CmdResult.Ok());
        }
        Interlocked.Increment(ref _calls);
        return Task.FromResult(Call(cmd));
    }

    private CmdResult Call(Cmd cmd)
    {
        // ten_ai_base sends `arguments` as a JSON object; a JSON string of one (and the older `args`) is read as well.
        var property = cmd.Properties["arguments"] is null ? "args" : "arguments";
        JsonObject? args;
        switch (cmd.Properties[property])
        {
            case JsonObject o:
                args = o;
                break;
            case JsonValue v when v.TryGetValue<string>(out var text):
                try
                {
                    args = JsonNode.Parse(text) as JsonObject;
                }
                catch (JsonException ex)
                {
                    return CmdResult.Error($"{ToolName}: tool_call property '{property}' is not valid JSON: {ex.Message}");
                }
                if (args is null)
                {
                    return CmdResult.Error($"{ToolName}: tool_call property '{property}' must be a JSON object such as {{\"timezone\":\"Europe/Paris\"}}.");
                }
                break;
            case null:
                return CmdResult.Error($"{ToolName}: tool_call property 'arguments' is missing; expected a JSON object such as {{\"timezone\":\"Europe/Paris\"}}.");
            default:
                return CmdResult.Error($"{ToolName}: tool_call property '{property}' must be a JSON object such as {{\"timezone\":\"Europe/Paris\"}}.");
        }
        var zoneId = args["timezone"] is JsonValue z && z.TryGetValue<string>(out var id) ? id : null;
        if (string.IsNullOrWhiteSpace(zoneId))
        {
            return CmdResult.Error($"{ToolName}: argument 'timezone' is required (an IANA time zone, e.g. Europe/Paris).");
        }
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return CmdResult.Error($"{ToolName}: unknown time zone '{zoneId}' (argument 'timezone'; use an IANA id such as Europe/Paris).");
        }
        var local = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), zone);
        var response = new JsonObject
        {
            ["timezone"] = zoneId,
            ["local_time"] = local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        };
        var result = CmdResult.Ok();
        result.Set("tool_result", new JsonObject { ["type"] = ResultType, ["content"] = response.ToJsonString() });
        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Extension}: the tool was not registered, nobody took it: {Detail}")]
    private static partial void LogNotDelivered(ILogger logger, string extension, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: the tool was not registered: {Detail}")]
    private static partial void LogNotRegistered(ILogger logger, string extension, string? detail);
}
