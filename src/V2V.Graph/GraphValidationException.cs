namespace V2V.Graph;

/// <summary>
/// A graph cannot run as written. <see cref="Problems"/> lists every problem found, each naming the node,
/// route or property at fault, so that one run shows them all.
/// </summary>
public sealed class GraphValidationException : Exception
{
    /// <summary>Creates the exception from its problems (at least one).</summary>
    public GraphValidationException(IReadOnlyList<string> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception from one problem.</summary>
    public GraphValidationException(string problem)
        : this([problem])
    {
    }

    /// <summary>Every problem, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The nodes whose addon is not registered here (node name to addon name): the ones to bind to an addon of this host.</summary>
    public IReadOnlyDictionary<string, string> UnknownAddons { get; init; } = new Dictionary<string, string>();

    private static string Describe(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count == 1
            ? "The graph is not valid: " + problems[0]
            : $"The graph is not valid ({problems.Count} problems):" + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p));
    }
}
