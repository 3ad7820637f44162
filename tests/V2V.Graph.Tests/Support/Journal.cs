using System.Collections.Concurrent;

namespace V2V.Graph.Tests.Support;

/// <summary>What the test extensions of one graph did, in the order they did it (shared, thread-safe).</summary>
public sealed class Journal
{
    private readonly ConcurrentQueue<string> _entries = new();

    public void Add(string entry) => _entries.Enqueue(entry);

    public IReadOnlyList<string> Entries => [.. _entries];

    public IReadOnlyList<string> StartingWith(string prefix) => [.. _entries.Where(e => e.StartsWith(prefix, StringComparison.Ordinal))];
}
