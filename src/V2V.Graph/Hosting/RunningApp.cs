namespace V2V.Graph.Hosting;

/// <summary>
/// The graphs of a TEN app started together (<see cref="GraphHost.StartAppAsync"/>): each its own
/// <see cref="RunningGraph"/> with its own extensions, as TEN runs each graph in its own engine. Stopping the app
/// stops them all, the last started first.
/// </summary>
public sealed class RunningApp : IAsyncDisposable
{
    internal RunningApp(IReadOnlyList<RunningGraph> graphs) => Graphs = graphs;

    /// <summary>The running graphs, in start order.</summary>
    public IReadOnlyList<RunningGraph> Graphs { get; }

    /// <summary>The running graph named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No running graph has that name.</exception>
    public RunningGraph this[string name] =>
        Graphs.FirstOrDefault(g => g.Plan.Name == name) ?? throw new KeyNotFoundException($"No running graph is named '{name}'.");

    /// <summary>Waits until every graph with participants has completed and gone idle (<see cref="RunningGraph.WaitForCompletionAsync"/>).</summary>
    public Task WaitForCompletionAsync(TimeSpan idle, CancellationToken cancellationToken = default) =>
        Task.WhenAll(Graphs.Where(g => g.HasParticipants).Select(g => g.WaitForCompletionAsync(idle, cancellationToken)));

    /// <summary>Stops every graph, the last started first; each is stopped even when another fails.</summary>
    /// <exception cref="GraphRunException">Some graph did not stop cleanly; the message names each failure.</exception>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<GraphRunException>();
        for (var i = Graphs.Count - 1; i >= 0; i--)
        {
            try
            {
                await Graphs[i].StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (GraphRunException ex)
            {
                failures.Add(ex);
            }
        }
        if (failures.Count > 0)
        {
            throw new GraphRunException(string.Join(" ", failures.Select(f => f.Message)), failures[0]);
        }
    }

    /// <summary>Disposes every graph, the last started first.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = Graphs.Count - 1; i >= 0; i--)
        {
            await Graphs[i].DisposeAsync().ConfigureAwait(false);
        }
    }
}
