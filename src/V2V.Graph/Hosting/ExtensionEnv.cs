using System.Collections.Concurrent;
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
        ArgumentNullException.ThrowIfNull(cmd);
        EnsureSendingAllowed();
        cmd.Source = Name;
        var destinations = Routes.Cmd(cmd.Name);
        if (destinations is null)
        {
            return CmdResult.Error($"'{Name}' has no route for the command '{cmd.Name}': add it to the connections of '{Name}' in the graph.");
        }
        if (destinations.Length == 1)
        {
            return await destinations[0].SendCmdAsync(cmd, cancellationToken).ConfigureAwait(false);
        }
        var pending = new Task<CmdResult>[destinations.Length];
        for (var i = 0; i < destinations.Length; i++)
        {
            pending[i] = destinations[i].SendCmdAsync(cmd, cancellationToken);
        }
        var results = await Task.WhenAll(pending).ConfigureAwait(false);
        // As ITenEnv promises: the first error, or else the last result.
        foreach (var result in results)
        {
            if (result.Status == StatusCode.Error)
            {
                return result;
            }
        }
        return results[^1];
    }

    public ValueTask SendDataAsync(DataMessage data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        EnsureSendingAllowed();
        data.Source = Name;
        return Post(Routes.Data(data.Name), data, cancellationToken);
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
            LogUnrouted(Logger, Name, message is AudioFrame ? "audio_frame" : "data", message.Name);
        }
    }

    private void EnsureSendingAllowed()
    {
        if (!_activity.SendingAllowed)
        {
            throw new InvalidOperationException($"'{Name}' sent a message during OnInitAsync: other extensions are not running yet. Send from OnStartAsync or later.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: no route takes {Kind} '{Message}'; such messages are dropped (counted, logged once).")]
    private static partial void LogUnrouted(ILogger logger, string extension, string kind, string message);
}
