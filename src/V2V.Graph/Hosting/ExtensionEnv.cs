using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.Hosting;

/// <summary>
/// The <see cref="ITenEnv"/> the host gives one extension: its properties, a logger named after the instance,
/// and sending along the routes out of it. Sending is thread-safe; the per-frame path does a table lookup and
/// a queue write, nothing more.
/// </summary>
internal sealed partial class ExtensionEnv : ITenEnv
{
    private readonly GraphActivity _activity;
    private readonly ConcurrentDictionary<string, bool> _reportedUnrouted = new(StringComparer.Ordinal);

    public ExtensionEnv(string name, JsonObject properties, ILogger logger, GraphActivity activity)
    {
        Name = name;
        Properties = properties;
        Logger = logger;
        _activity = activity;
    }

    public string Name { get; }

    public JsonObject Properties { get; }

    public ILogger Logger { get; }

    public RouteTable Routes { get; } = new();

    /// <summary>The actor of this extension (set once, when the graph is wired).</summary>
    public ExtensionActor Self { get; set; } = null!;

    public async Task<CmdResult> SendCmdAsync(Cmd cmd, CancellationToken cancellationToken = default)
    {
        if (Targets(cmd) is not { } targets)
        {
            return NoRoute(cmd);
        }
        if (targets.Length == 1)
        {
            return await CmdDelivery.SendAsync(targets[0], cmd, cancellationToken).ConfigureAwait(false);
        }
        var pending = new Task<CmdResult>[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            pending[i] = CmdDelivery.SendAsync(targets[i], cmd, cancellationToken);
        }
        return CmdDelivery.Choose(await Task.WhenAll(pending).ConfigureAwait(false));
    }

    public async IAsyncEnumerable<CmdResult> SendCmdExAsync(Cmd cmd, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Targets(cmd) is not { } targets)
        {
            yield return NoRoute(cmd);
            yield break;
        }
        var pending = targets.Select(t => CmdDelivery.SendAsync(t, cmd, cancellationToken)).ToList();
        await foreach (var done in Task.WhenEach(pending).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return await done.ConfigureAwait(false);
        }
    }

    public ValueTask SendDataAsync(DataMessage data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        EnsureSendingAllowed();
        data.Source = Name;
        if (Routes.Data(data.Name) is not { } targets)
        {
            Unrouted(data);
            return ValueTask.CompletedTask;
        }
        return targets.Length == 1 && targets[0].Conversion is null
            ? targets[0].Actor.PostAsync(data, cancellationToken)
            : PostDataAsync(targets, data, cancellationToken);
    }

    public ValueTask SendVideoFrameAsync(VideoFrame frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        EnsureSendingAllowed();
        frame.Source = Name;
        return Post(Routes.Video(frame.Name), frame, cancellationToken);
    }

    public ValueTask SendAudioFrameAsync(AudioFrame frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        EnsureSendingAllowed();
        frame.Source = Name;
        return Post(Routes.Audio(frame.Name), frame, cancellationToken);
    }

    private ValueTask Post(ExtensionActor[]? destinations, TenMessage message, CancellationToken cancellationToken)
    {
        if (destinations is null)
        {
            Unrouted(message);
            return ValueTask.CompletedTask;
        }
        return destinations.Length == 1 ? destinations[0].PostAsync(message, cancellationToken) : PostAllAsync(destinations, message, cancellationToken);
    }

    // Each destination with a conversion gets its own converted message; the others share the original.
    private async ValueTask PostDataAsync(RouteTarget[] targets, DataMessage data, CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            DataMessage message;
            try
            {
                message = target.Conversion is null ? data : MessageConverter.Convert(data, target.Conversion);
            }
            catch (InvalidOperationException ex)
            {
                LogConversionFailed(Logger, Name, data.Name, target.Actor.Name, ex.Message);
                continue;
            }
            await target.Actor.PostAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private RouteTarget[]? Targets(Cmd cmd)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        EnsureSendingAllowed();
        cmd.Source = Name;
        return Routes.Cmd(cmd.Name);
    }

    private CmdResult NoRoute(Cmd cmd) =>
        CmdResult.Error($"'{Name}' has no route for the command '{cmd.Name}': add it to the connections of '{Name}' in the graph.");

    // Fan-out shares the message: receivers must treat messages as read-only. An audio frame gets one owner per
    // receiver, each of which disposes it; its buffer goes back when the last has.
    private static async ValueTask PostAllAsync(ExtensionActor[] destinations, TenMessage message, CancellationToken cancellationToken)
    {
        if (message is AudioFrame frame)
        {
            frame.Frame.AddOwners(destinations.Length - 1);
        }
        foreach (var destination in destinations)
        {
            await destination.PostAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Unrouted(TenMessage message)
    {
        Self.CountUnrouted();
        if (_reportedUnrouted.TryAdd(message.Name, true))
        {
            LogUnrouted(Logger, Name, message switch { AudioFrame => "audio_frame", VideoFrame => "video_frame", _ => "data" }, message.Name);
        }
    }

    private void EnsureSendingAllowed()
    {
        if (!_activity.SendingAllowed)
        {
            throw new InvalidOperationException($"'{Name}' sent a message during OnInitAsync: other extensions are not running yet. Send from OnStartAsync or later.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: the msg_conversion of data '{Message}' to '{Destination}' failed ({Reason}); that destination does not get it.")]
    private static partial void LogConversionFailed(ILogger logger, string extension, string message, string destination, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: no route takes {Kind} '{Message}'; such messages are dropped (counted, logged once).")]
    private static partial void LogUnrouted(ILogger logger, string extension, string kind, string message);
}
