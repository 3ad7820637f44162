using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using V2V.Extension.Properties;
using V2V.Extension.Storage;
using V2V.Extension.Tools;
using V2V.Ten;
using V2V.Ten.Messages;
using V2V.Voice;

namespace V2V.Extension;

/// <summary>
/// openai_v2v: pcm_frame in and out, text_data out (and in, as user text), audio_played in (what the transport's far
/// end played, with played_reports), flush out on barge-in and in to interrupt, tool_register in and tool_call out
/// (each registered tool an AIFunction beside the host's own), on_user_joined (greeting) and on_user_left in, retrieve out and
/// append out with storage on. Every command gets a result (one it does not know: OK, as ten_ai_base answers). The
/// voice session underneath does the work; this class only speaks TEN.
/// </summary>
public sealed class OpenAIV2VExtension : Ten.Extension
{
    private readonly KeylessEndpoint? _keylessEndpoint;
    private readonly IReadOnlyList<string> _keyVariables;
    private readonly IReadOnlyList<AIFunction> _tools;
    private V2VSettings? _settings;
    private VoiceSession? _session;
    private Task _outputs = Task.CompletedTask;
    private long _userStreamId;
    private long _badFrames;

    /// <summary>Creates an instance; <see cref="OpenAIV2VAddon.Create"/> is the usual way.</summary>
    /// <param name="keylessEndpoint">Where a node with neither api_key nor base_uri connects; null: such a node does not start.</param>
    /// <param name="keyVariables">The environment variables property.json reads api_key from, named when no key is found.</param>
    /// <param name="tools">
    /// The host's own functions, in the session from its start; the graph's tool nodes add theirs (<c>tool_register</c>),
    /// and one registered under the same name takes the place of the host's.
    /// </param>
    public OpenAIV2VExtension(KeylessEndpoint? keylessEndpoint = null, IReadOnlyList<string>? keyVariables = null, IReadOnlyList<AIFunction>? tools = null)
    {
        _keylessEndpoint = keylessEndpoint;
        _keyVariables = keyVariables ?? [];
        _tools = tools ?? [];
    }

    /// <inheritdoc />
    public override Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        _settings = Read(env.Properties);
        // TEN keeps properties its manifest does not declare (TEN-Agent's graphs carry some): said once, not refused.
        var unknown = env.Properties.Select(p => p.Key).Where(name => PropertyTable.Rows.All(r => r.Name != name)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            env.Logger.LogWarning("{Name}: {Addon} ignores the properties it does not know: {Unknown}.", env.Name, OpenAIV2VAddon.Name, string.Join(", ", unknown));
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        var settings = _settings ?? Read(env.Properties);
        var options = settings.Session;
        if (settings.NeedsKeylessEndpoint)
        {
            options.Connection.BaseUri = await _keylessEndpoint!.GetBaseUriAsync(cancellationToken).ConfigureAwait(false);
            env.Logger.LogWarning("{Name}: property 'api_key' is empty{LookedAt} and base_uri is not set, so {Endpoint} answers at {Uri}, not a real model.",
                env.Name, _keyVariables.Count == 0 ? "" : $" (looked at {string.Join(", ", _keyVariables)})", _keylessEndpoint.Description, options.Connection.BaseUri);
        }
        else
        {
            env.Logger.LogInformation("{Name}: {Vendor} realtime API, model {Model}, {Dialect} dialect", env.Name, options.Connection.Vendor, options.Connection.Model, options.Connection.Dialect);
        }
        // As the original: {greeting} is the greeting property as given; the greeting said is that, or the language's hello.
        options.Instructions = options.Instructions?.Replace("{greeting}", options.Greeting ?? "", StringComparison.Ordinal);
        options.Greeting = settings.GreetingToSay;
        options.Tools = [.. _tools];
        options.LoggerFactory ??= new EnvLoggerFactory(env.Logger);
        if (settings.EnableStorage)
        {
            options.PreviousConversation = await StoredConversation.RetrieveAsync(env, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            _session = await VoiceSession.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (LowerLayerErrors.ToPropertyError(ex, env.Properties) is { } refused)
        {
            throw refused;
        }
        var bridge = new OutputBridge(env, settings.StreamId, () => Interlocked.Read(ref _userStreamId), settings.EnableStorage ? new TurnAppender(env) : null);
        _outputs = Task.Run(() => bridge.RunAsync(_session, CancellationToken.None), CancellationToken.None);
    }

    // A node that needs the key-less endpoint where the host gives none is refused now, not when it first connects.
    private V2VSettings Read(JsonObject properties)
    {
        var settings = V2VPropertyReader.Read(properties);
        if (settings.NeedsKeylessEndpoint && _keylessEndpoint is null)
        {
            var lookedAt = _keyVariables.Count == 0 ? "" : $" (property.json reads it from {string.Join(" or ", _keyVariables)}, not set here)";
            var setKey = _keyVariables.Count == 0 ? "Set api_key" : $"Set api_key or {string.Join(" or ", _keyVariables)}";
            throw new TenPropertyException("api_key", $"{OpenAIV2VAddon.Name}: property 'api_key' is empty{lookedAt} and base_uri is not set. "
                + $"{setKey}; or set base_uri to a server that needs no key; or run the graph where the host provides a key-less "
                + "endpoint (v2v graph run and v2v serve start the local realtime server).");
        }
        return settings;
    }

    /// <inheritdoc />
    public override async Task OnStopAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        if (_session is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            await _outputs.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _session = null;
    }

    /// <inheritdoc />
    public override async ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken)
    {
        // The receiver disposes: the samples are resampled into the session's input before this returns.
        using var received = frame;
        if (_session is not { } session || frame.Name != "pcm_frame")
        {
            return;
        }
        if (frame.StreamId is { } streamId)
        {
            Interlocked.Exchange(ref _userStreamId, streamId.Value);
        }
        try
        {
            await session.SendAudioAsync(frame.Buffer, frame.SampleRate, frame.Channels, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            // A bad frame is dropped and counted; the first of each hundred is logged, so a broken source cannot flood the log.
            if (Interlocked.Increment(ref _badFrames) % 100 == 1)
            {
                env.Logger.LogWarning("{Name}: dropped a bad pcm_frame ({Count} so far): {Reason}", env.Name, _badFrames, ex.Message);
            }
        }
        catch (ObjectDisposedException)
        {
            // The session has ended (fatal error already reported); frames after that have nowhere to go.
        }
    }

    /// <inheritdoc />
    public override async ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        if (_session is not { } session)
        {
            return;
        }
        if (data.Name == "text_data" && data.GetString("text") is { Length: > 0 } text)
        {
            await session.SendTextAsync(text, cancellationToken).ConfigureAwait(false);
        }
        else if (data.Name == "audio_played" && data.GetString("item_id") is { Length: > 0 } itemId
            && data.Properties["end_ms"] is JsonValue end && end.TryGetValue<double>(out var endMs) && endMs >= 0)
        {
            // The transport's far end played this far (played_reports): where a barge-in will truncate.
            session.ReportPlayed(itemId, endMs);
        }
    }

    // A node's answer to a session_event mcp_approval_request: request_id, approve (bool), reason (optional).
    private static async Task<CmdResult> AnswerMcpApprovalAsync(VoiceSession session, Cmd cmd, CancellationToken cancellationToken)
    {
        if (cmd.GetString("request_id") is not { Length: > 0 } requestId)
        {
            return CmdResult.Error("mcp_approval needs request_id: the request_id of the session_event mcp_approval_request it answers.");
        }
        if (cmd.Properties["approve"] is not { } approve || approve.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            return CmdResult.Error("mcp_approval needs approve: true to let the call run, false to refuse it.");
        }
        try
        {
            await session.AnswerMcpApprovalAsync(requestId, approve.GetValue<bool>(), cmd.GetString("reason"), cancellationToken).ConfigureAwait(false);
            return CmdResult.Ok();
        }
        catch (InvalidOperationException notPending)
        {
            return CmdResult.Error(notPending.Message);
        }
    }

    /// <inheritdoc />
    public override async Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        if (_session is not { } session)
        {
            return CmdResult.Error($"{env.Name} is not started; '{cmd.Name}' cannot be handled yet.");
        }
        switch (cmd.Name)
        {
            case "flush":
                await session.InterruptAsync(cancellationToken).ConfigureAwait(false);
                return CmdResult.Ok();
            case "tool_register":
                var (tool, error) = TenToolRegistration.Read(cmd, env);
                if (tool is null)
                {
                    return CmdResult.Error(error!);
                }
                await session.RegisterToolAsync(tool, cancellationToken).ConfigureAwait(false);
                return CmdResult.Ok($"tool {tool.Name} registered");
            case "on_user_joined":
                await session.UserJoinedAsync(cancellationToken).ConfigureAwait(false);
                return CmdResult.Ok();
            case "on_user_left":
                await session.UserLeftAsync(cancellationToken).ConfigureAwait(false);
                return CmdResult.Ok();
            case "mcp_approval":
                return await AnswerMcpApprovalAsync(session, cmd, cancellationToken).ConfigureAwait(false);
            case "on_connection_failure":
                // The RTC transport lost its connection; the session keeps its own connection and goes on.
                env.Logger.LogWarning("{Name}: the transport reports a connection failure ({From}).", env.Name, cmd.Source ?? "unknown sender");
                return CmdResult.Ok();
            default:
                env.Logger.LogDebug("{Name}: the cmd '{Cmd}' is not one of openai_v2v's; answered OK, as ten_ai_base does.", env.Name, cmd.Name);
                return CmdResult.Ok();
        }
    }
}
