using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// <c>time_tool</c>: a real tool for the model. On start it registers <c>get_current_time</c> with a
/// <c>tool_register</c> command (<c>name</c>, <c>description</c>, and <c>parameters</c> as a JSON Schema string, as the
/// original TEN contract has it); it answers <c>tool_call</c> (<c>name</c>, <c>args</c> as a JSON string) with
/// <c>response</c> = <c>{"timezone":..., "local_time":"2026-11-25T14:03:00+01:00"}</c>, or an error naming the problem.
/// </summary>
public sealed partial class TimeTool : Extension
{
    /// <summary>The addon name.</summary>
    public const string AddonName = "time_tool";

    /// <summary>The tool's name as the model sees it.</summary>
    public const string ToolName = "get_current_time";

    /// <summary>The JSON Schema of the arguments, sent as text.</summary>
    public const string ParametersSchema =
        """{"type":"object","properties":{"timezone":{"type":"string","description":"IANA time zone, e.g. Europe/Paris"}},"required":["timezone"]}""";

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

    /// <summary>Tool calls answered (successes and errors).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Registers the tool; a refusal is logged, not fatal (the graph may have no model to register with).</summary>
    public override async Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        var register = new Cmd("tool_register");
        register.Set("name", ToolName);
        register.Set("description", Description);
        register.Set("parameters", ParametersSchema);
        var result = await env.SendCmdAsync(register, cancellationToken).ConfigureAwait(false);
        if (result.Status == StatusCode.Error)
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
        Interlocked.Increment(ref _calls);
        return Task.FromResult(Call(cmd));
    }

    private CmdResult Call(Cmd cmd)
    {
        var name = cmd.Properties["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : null;
        if (name != ToolName)
        {
            return CmdResult.Error($"{AddonName}: unknown tool '{name}' in tool_call property 'name' (this extension provides '{ToolName}').");
        }
        JsonObject? args;
        switch (cmd.Properties["args"])
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
                    return CmdResult.Error($"{ToolName}: tool_call property 'args' is not valid JSON: {ex.Message}");
                }
                if (args is null)
                {
                    return CmdResult.Error($"{ToolName}: tool_call property 'args' must be a JSON object such as {{\"timezone\":\"Europe/Paris\"}}.");
                }
                break;
            default:
                return CmdResult.Error($"{ToolName}: tool_call property 'args' is missing; expected a JSON string such as {{\"timezone\":\"Europe/Paris\"}}.");
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
        result.Set("response", response.ToJsonString());
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: the tool was not registered: {Detail}")]
    private static partial void LogNotRegistered(ILogger logger, string extension, string? detail);
}
