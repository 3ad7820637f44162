using Microsoft.Extensions.Logging;
using V2V.Graph.Validation;
using V2V.Ten;

namespace V2V.Graph.Hosting;

/// <summary>
/// A started graph. Stop it with <see cref="StopAsync"/> or by disposing it; a file-driven graph tells when it
/// is done through <see cref="WaitForCompletionAsync"/>.
/// </summary>
public sealed partial class RunningGraph : IAsyncDisposable
{
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinimumIdlePoll = TimeSpan.FromMilliseconds(10);

    private readonly IReadOnlyList<ExtensionActor> _actors;
    private readonly Dictionary<string, ExtensionActor> _byName;
    private readonly GraphActivity _activity;
    private readonly ILogger _logger;
    private readonly Lock _stopLock = new();
    private Task? _stopping;

    internal RunningGraph(GraphPlan plan, IReadOnlyList<ExtensionActor> actors, GraphActivity activity, ILogger logger)
    {
        Plan = plan;
        _actors = actors;
        _byName = actors.ToDictionary(a => a.Name, StringComparer.Ordinal);
        _activity = activity;
        _logger = logger;
        Participants = [.. actors.Select(a => a.Extension).OfType<IGraphParticipant>()];
    }

    /// <summary>The graph that runs.</summary>
    public GraphPlan Plan { get; }

    /// <summary>The extensions whose work has an end (e.g. file sources).</summary>
    public IReadOnlyList<IGraphParticipant> Participants { get; }

    /// <summary>Whether the run can end on its own: some extension is an <see cref="IGraphParticipant"/>.</summary>
    public bool HasParticipants => Participants.Count > 0;

    /// <summary>The extension instance of a node (e.g. to read a built-in's counters).</summary>
    /// <exception cref="KeyNotFoundException">No node has that name.</exception>
    public Extension GetExtension(string name) =>
        _byName.TryGetValue(name, out var actor) ? actor.Extension : throw new KeyNotFoundException($"The graph has no node '{name}'.");

    /// <summary>What each extension has done so far, in node order.</summary>
    public IReadOnlyList<ExtensionStatistics> GetStatistics() => [.. _actors.Select(a => a.Statistics)];

    /// <summary>
    /// Waits until every participant has completed, then until the graph is idle (<see cref="WhenIdleAsync"/>):
    /// the end of a file-driven run. A participant that faults ends the wait with its exception.
    /// </summary>
    public async Task WaitForCompletionAsync(TimeSpan idle, CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(Participants.Select(p => p.Completion)).WaitAsync(cancellationToken).ConfigureAwait(false);
        await WhenIdleAsync(idle, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until no message is queued or being handled and none has been sent or handled for <paramref name="idle"/>.
    /// Why a period and not just empty queues: an extension waiting for a remote answer (the model) holds no message.
    /// </summary>
    public async Task WhenIdleAsync(TimeSpan idle, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(idle, TimeSpan.Zero);
        while (true)
        {
            var quiet = _activity.Quiet;
            if (_activity.InFlight == 0 && quiet >= idle)
            {
                return;
            }
            var wait = idle - quiet;
            await Task.Delay(wait < MinimumIdlePoll ? MinimumIdlePoll : wait, _activity.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the graph: each extension's stop in reverse node order, then each deinit in reverse node order,
    /// each step run by the extension's own loop after the command it is handling. When
    /// <paramref name="cancellationToken"/> fires, the handlers' tokens are cancelled and the wait ends.
    /// Calling it again returns the same stop.
    /// </summary>
    /// <exception cref="GraphRunException">Some extension failed to stop or deinit (all others were still stopped).</exception>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopLock)
        {
            return _stopping ??= StopCoreAsync(cancellationToken);
        }
    }

    /// <summary>Stops the graph, giving the extensions ten seconds; failures are logged, not thrown.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(DisposeTimeout);
        try
        {
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is GraphRunException or OperationCanceledException)
        {
            LogDisposeFailed(_logger, ex);
        }
    }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        // Every actor gets its start step before any loop runs, so a cmd sent from one extension's OnStartAsync to
        // another always queues behind the receiver's start.
        var starts = _actors.Select(a => a.RequestStart()).ToList();
        foreach (var actor in _actors)
        {
            actor.Run();
        }
        try
        {
            await Task.WhenAll(starts).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            var failed = _actors.Zip(starts).Where(p => p.Second.IsFaulted).Select(p => $"'{p.First.Name}' failed to start: {p.Second.Exception!.InnerException!.Message}").ToList();
            var first = starts.First(s => s.IsFaulted).Exception!.InnerException;
            await DisposeAsync().ConfigureAwait(false);
            throw new GraphRunException(string.Join(" ", failed), first);
        }
        catch (OperationCanceledException)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
        LogStarted(_logger, Plan.Name ?? "graph", _actors.Count);
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        Exception? firstFailure = null;
        try
        {
            foreach (var (step, request) in new (string, Func<ExtensionActor, Task<Ten.Messages.CmdResult>>)[] { ("stop", a => a.RequestStop()), ("deinit", a => a.RequestDeinit()) })
            {
                for (var i = _actors.Count - 1; i >= 0; i--)
                {
                    try
                    {
                        await request(_actors[i]).WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        firstFailure ??= ex;
                        failures.Add($"'{_actors[i].Name}' failed to {step}: {ex.Message}");
                    }
                }
            }
            await Task.WhenAll(_actors.Select(a => a.Loop)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Out of patience: cancel every handler and queue the remaining steps so each loop can still run out.
            foreach (var actor in _actors)
            {
                actor.Abort();
                _ = actor.RequestStop();
                _ = actor.RequestDeinit();
            }
            throw;
        }
        LogStopped(_logger, Plan.Name ?? "graph");
        if (failures.Count > 0)
        {
            throw new GraphRunException(string.Join(" ", failures), firstFailure);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Graph}: {Count} extensions started.")]
    private static partial void LogStarted(ILogger logger, string graph, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Graph}: stopped.")]
    private static partial void LogStopped(ILogger logger, string graph);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The graph did not stop cleanly.")]
    private static partial void LogDisposeFailed(ILogger logger, Exception exception);
}
