using System.Text.Json;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;
using V2V.Voice;
using V2V.Voice.Tools;

namespace V2V.Extension;

/// <summary>
/// openai_v2v: pcm_frame in and out, text_data out (and in, as user text), flush out on barge-in and in to
/// interrupt, tool_register in and tool_call out, on_user_joined (greeting) and on_user_left in. Every command
/// gets a result. The voice session underneath does the work; this class only speaks TEN.
/// </summary>
public sealed class OpenAIV2VExtension : Ten.Extension
{
    private V2VProperties? _properties;
    private VoiceSession? _session;
    private Task _outputs = Task.CompletedTask;
    private long _userStreamId;
    private long _badFrames;

    /// <inheritdoc />
    public override Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        _properties = V2VProperties.Read(env.Properties);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        var properties = _properties ?? V2VProperties.Read(env.Properties);
        var options = properties.Session;
        if (properties.UseLocalServer)
        {
            options.Connection.BaseUri = await EmbeddedRealtimeServer.GetAsync(cancellationToken).ConfigureAwait(false);
            env.Logger.LogInformation("{Name}: no api_key, so the local realtime server answers at {Uri}", env.Name, options.Connection.BaseUri);
        }
        else
        {
            env.Logger.LogInformation("{Name}: {Vendor} realtime API, model {Model}, {Dialect} dialect", env.Name, options.Connection.Vendor, options.Connection.Model, options.Connection.Dialect);
        }
        _session = await VoiceSession.StartAsync(options, (call, ct) => CallToolAsync(env, call, ct), cancellationToken: cancellationToken).ConfigureAwait(false);
        var bridge = new OutputBridge(env, options.StreamId, () => Interlocked.Read(ref _userStreamId));
        _outputs = Task.Run(() => bridge.RunAsync(_session, CancellationToken.None), CancellationToken.None);
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
        if (_session is { } session && data.Name == "text_data" && data.GetString("text") is { Length: > 0 } text)
        {
            await session.SendTextAsync(text, cancellationToken).ConfigureAwait(false);
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
                return await RegisterToolAsync(session, cmd, cancellationToken).ConfigureAwait(false);
            case "on_user_joined":
                await session.UserJoinedAsync(cancellationToken).ConfigureAwait(false);
                return CmdResult.Ok();
            case "on_user_left":
                await session.UserLeftAsync(cancellationToken).ConfigureAwait(false);
                return CmdResult.Ok();
            default:
                return CmdResult.Error($"{env.Name} (openai_v2v) does not handle the command '{cmd.Name}'; it handles flush, tool_register, on_user_joined and on_user_left.");
        }
    }

    private static async Task<CmdResult> RegisterToolAsync(VoiceSession session, Cmd cmd, CancellationToken cancellationToken)
    {
        var name = cmd.GetString("name");
        var description = cmd.GetString("description");
        var parameters = cmd.GetString("parameters");
        if (string.IsNullOrWhiteSpace(name) || description is null || parameters is null)
        {
            return CmdResult.Error("tool_register needs the string properties name, description and parameters (a JSON schema as a string).");
        }
        JsonElement schema;
        try
        {
            schema = JsonDocument.Parse(parameters).RootElement;
        }
        catch (JsonException ex)
        {
            return CmdResult.Error($"tool_register '{name}': parameters must be a JSON schema as a string: {ex.Message}");
        }
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return CmdResult.Error($"tool_register '{name}': parameters must be a JSON object schema, got {schema.ValueKind}.");
        }
        await session.RegisterToolAsync(new VoiceTool(name, description, schema), cancellationToken).ConfigureAwait(false);
        return CmdResult.Ok($"tool {name} registered");
    }

    /// <summary>A tool call goes out as the cmd tool_call (name, args); its result's <c>response</c> is the output.</summary>
    private static async Task<string> CallToolAsync(ITenEnv env, ToolCall call, CancellationToken cancellationToken)
    {
        var cmd = new Cmd("tool_call");
        cmd.Set("name", call.Name).Set("args", call.Arguments);
        var result = await env.SendCmdAsync(cmd, cancellationToken).ConfigureAwait(false);
        if (result.Status != StatusCode.Ok)
        {
            throw new InvalidOperationException(result.Detail ?? "the tool returned an error");
        }
        return result.GetString("response") ?? throw new InvalidOperationException("the tool_call result has no 'response' property");
    }
}
