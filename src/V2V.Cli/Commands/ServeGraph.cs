using V2V.Graph;
using V2V.Graph.BuiltIns;
using V2V.Playground;

namespace V2V.Cli.Commands;

/// <summary>
/// <c>v2v serve --graph FILE [--graph-name NAME] [--bind NODE=ADDON]</c>: the TEN app's graph to run behind the page,
/// read and checked once when the server starts, as <c>v2v graph validate</c> checks it (every problem listed, and the
/// binds to add). The page is the graph's RTC node (<c>agora_rtc</c> unless a bind names another).
/// </summary>
internal static class ServeGraph
{
    /// <summary>The graph to serve, or null when it cannot run (said on <paramref name="error"/>).</summary>
    public static PlaygroundGraph? Load(FileInfo file, string? graphName, IEnumerable<string> bindings, TextWriter error)
    {
        try
        {
            var app = GraphApp.Load(file, graphName, [], bindings, GraphCommand.CreateRegistry());
            if (app.Graphs.Count != 1)
            {
                error.WriteLine($"v2v serve: {file.Name} starts {app.Graphs.Count} graphs ({string.Join(", ", app.Graphs.Select(g => g.Name))}); " +
                    "a browser tab runs one: name it with --graph-name NAME.");
                return null;
            }
            return PlaygroundGraph.Create(app.Graphs[0], app.Registry, app.Bindings);
        }
        catch (GraphValidationException ex)
        {
            GraphApp.Report(error, file.Name, ex, $"  ({TimeTool.AddonName}: a C# tool in ten_ai_base's form; the page is the RTC node ({PlaygroundGraph.RtcAddon}); " +
                "Python, Go and C++ extensions need the TEN runtime.)");
            return null;
        }
    }
}
