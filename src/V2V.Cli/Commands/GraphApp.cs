using V2V.Graph;
using V2V.Graph.BuiltIns;
using V2V.Graph.Definition;
using V2V.Graph.Hosting;

namespace V2V.Cli.Commands;

/// <summary>
/// What <c>v2v graph run|validate</c> (and <c>v2v serve --graph</c>) read from the command line: the graphs of a file
/// to start (a TEN app's named graph or every auto_start one; a bare graph), the <c>--set</c> overrides, the
/// <c>--bind NODE=ADDON</c> bindings, and the addons: the CLI's own and the app's <c>ten_packages</c>.
/// </summary>
internal sealed record GraphApp(IReadOnlyList<GraphDefinition> Graphs, AddonRegistry Registry, IReadOnlyDictionary<string, string> Bindings)
{
    // What a TEN node is bound to here, when the graph names an addon this host lacks.
    private static readonly Dictionary<string, string> StandIns = new(StringComparer.Ordinal)
    {
        ["agora_rtc"] = WavRtc.AddonName,
    };

    /// <summary>Reads the file, applies the overrides and loads the app's packages (from the file's folder).</summary>
    /// <exception cref="GraphValidationException">The file, an override, a binding or a package is wrong; every problem is listed.</exception>
    public static GraphApp Load(FileInfo file, string? graphName, IEnumerable<string>? overrides, IEnumerable<string>? bindings, AddonRegistry registry)
    {
        var problems = new List<string>();
        var bound = ParseBindings(bindings ?? [], problems);
        var graphs = GraphJson.SelectToStart(GraphJson.LoadAll(file.FullName), graphName);
        ApplyOverrides(graphs, [.. overrides ?? []], problems);
        if (problems.Count > 0)
        {
            throw new GraphValidationException(problems);
        }
        registry.AddPackages(file.DirectoryName ?? ".");
        return new GraphApp(graphs, registry, bound);
    }

    /// <summary>Host options with the bindings in place.</summary>
    public GraphHostOptions Options(GraphHostOptions options)
    {
        foreach (var (node, addon) in Bindings)
        {
            options.Bindings[node] = addon;
        }
        return options;
    }

    /// <summary>Writes a refused graph's problems, then which <c>--bind</c> would replace the nodes whose addon is missing.</summary>
    public static void Report(TextWriter error, string file, GraphValidationException ex, string? standInsNote = null)
    {
        error.WriteLine($"{file} is not a valid graph ({ex.Problems.Count} problem{(ex.Problems.Count == 1 ? "" : "s")}):");
        foreach (var problem in ex.Problems)
        {
            error.WriteLine($"  - {problem}");
        }
        if (ex.UnknownAddons.Count == 0)
        {
            return;
        }
        var binds = ex.UnknownAddons.Select(n => $"--bind {n.Key}={StandIn(n.Value)}");
        error.WriteLine($"Bind the nodes whose addon does not run here: {string.Join(' ', binds)}");
        error.WriteLine(standInsNote ?? $"  ({WavRtc.AddonName}: a WAV file in and out in place of the RTC transport, --set NODE.input_path=question.wav; " +
            $"{TimeTool.AddonName}: a C# tool in ten_ai_base's form; Python, Go and C++ extensions need the TEN runtime.)");
    }

    private static string StandIn(string addon) =>
        StandIns.TryGetValue(addon, out var standIn) ? standIn
        : addon.Contains("tool", StringComparison.Ordinal) ? TimeTool.AddonName
        : "ADDON";

    private static Dictionary<string, string> ParseBindings(IEnumerable<string> bindings, List<string> problems)
    {
        var bound = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var binding in bindings)
        {
            var equals = binding.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == binding.Length - 1)
            {
                problems.Add($"--bind '{binding}': expected NODE=ADDON, e.g. --bind agora_rtc={WavRtc.AddonName}.");
            }
            else if (!bound.TryAdd(binding[..equals], binding[(equals + 1)..]))
            {
                problems.Add($"--bind '{binding}': the node '{binding[..equals]}' is bound twice.");
            }
        }
        return bound;
    }

    // A TEN app starts several graphs: an override goes to each that has its node, and one that no graph has is a problem.
    private static void ApplyOverrides(IReadOnlyList<GraphDefinition> graphs, string[] overrides, List<string> problems)
    {
        if (graphs.Count == 1)
        {
            Collect(problems, () => graphs[0].ApplyOverrides(overrides));
            return;
        }
        foreach (var assignment in overrides)
        {
            var node = assignment.Split('=', 2)[0];
            node = node.Contains('.', StringComparison.Ordinal) ? node[..node.LastIndexOf('.')] : node;
            var targets = graphs.Where(g => g.Nodes.Any(n => n.Name == node)).ToList();
            if (targets.Count == 0)
            {
                problems.Add($"--set '{assignment}': no graph to start has a node '{node}'.");
            }
            foreach (var graph in targets)
            {
                Collect(problems, () => graph.ApplyOverrides([assignment]));
            }
        }
    }

    private static void Collect(List<string> problems, Action apply)
    {
        try
        {
            apply();
        }
        catch (GraphValidationException ex)
        {
            problems.AddRange(ex.Problems);
        }
    }
}
