using System.Globalization;
using System.Text;

namespace V2V.Load;

/// <summary>The load figures against N as an SVG: three panels, one line per bridge, log scale of N.</summary>
internal static class Plot
{
    private const int PanelWidth = 280, PanelHeight = 220, Margin = 50;
    private static readonly (string Bridge, string Color, string Label)[] Bridges =
    [
        ("v2v", "#1f77b4", "v2v VoiceSession"),
        ("openai", "#d62728", "OpenAI .NET SDK 2.15.0 bridge"),
        ("raw", "#7f7f7f", "socket traffic alone (floor)"),
        ("rawdecode", "#bcbd22", "socket traffic, deltas decoded (floor)"),
        ("rawplay", "#17becf", "socket traffic, answers decoded and played (floor)"),
    ];

    public static string Render(IReadOnlyList<LoadResult> results)
    {
        var panels = new (string Title, string Unit, Func<LoadResult, double> Value, double? Goal, bool Log)[]
        {
            ("CPU, client + server", "cores (this machine: 2)", r => (r.ClientCpuMsPerAudioSecond + r.ServerCpuMsPerAudioSecond) * r.FramesIn / 100.0 / r.Seconds / 1000, 2, false),
            ("client CPU per session", "% of a core (log)", r => r.ClientCorePercentPerSession, 0.2, true),
            // The floor has no output, so its figure is the input's alone.
            ("added latency p99, max of in and out", "ms (log)", r => double.IsNaN(r.OutputP99Ms) ? r.InputP99Ms : Math.Max(r.InputP99Ms, r.OutputP99Ms), 5, true),
            // The floor keeps next to nothing per session: its figure is the noise of a working set.
            ("client memory per session", "MiB (log)", r => r.Bridge is "raw" or "rawdecode" or "rawplay" ? double.NaN : r.ClientMemoryMiBPerSession, null, true),
        };
        var width = panels.Length * (PanelWidth + Margin) + Margin;
        var height = PanelHeight + 2 * Margin + 30;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        var ns = results.Select(r => r.Sessions).Distinct().Order().ToArray();
        double logMin = Math.Log10(Math.Max(1, ns.Min())), logMax = Math.Log10(Math.Max(ns.Max(), 10));
        for (int p = 0; p < panels.Length; p++)
        {
            var (title, unit, value, goal, log) = panels[p];
            int x0 = Margin + p * (PanelWidth + Margin), y0 = Margin;
            var values = results.Select(value).Where(v => !double.IsNaN(v)).ToList();
            if (goal is { } g)
            {
                values.Add(g);
            }
            double max = Nice(values.Count == 0 ? 1 : values.Max() * 1.1);
            // A panel with nothing to draw (only the floors, which have no output latency) gets an empty scale.
            double decadeMax = Math.Ceiling(Math.Log10(Math.Max(values.DefaultIfEmpty(1).Max(), 1e-9)));
            double decadeMin = Math.Floor(Math.Log10(Math.Max(values.Where(v => v > 0).DefaultIfEmpty(1).Min(), 1e-9)));
            if (decadeMax - decadeMin < 1)
            {
                decadeMin = decadeMax - 1;
            }
            double X(int n) => x0 + (Math.Log10(Math.Max(1, n)) - logMin) / (logMax - logMin) * PanelWidth;
            double Y(double v) => log
                ? y0 + PanelHeight - (Math.Log10(Math.Max(v, Math.Pow(10, decadeMin))) - decadeMin) / (decadeMax - decadeMin) * PanelHeight
                : y0 + PanelHeight - v / max * PanelHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0}\" y=\"{y0 - 12}\" font-size=\"13\" font-weight=\"bold\">{title}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0}\" y=\"{y0}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#888\"/>");
            var ticks = log
                ? Enumerable.Range(0, (int)(decadeMax - decadeMin) + 1).Select(d => Math.Pow(10, decadeMin + d)).ToArray()
                : Enumerable.Range(0, 5).Select(t => max * t / 4).ToArray();
            foreach (var v in ticks)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x0}\" x2=\"{x0 + PanelWidth}\" y1=\"{Y(v):F1}\" y2=\"{Y(v):F1}\" stroke=\"#eee\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 - 4}\" y=\"{Y(v) + 4:F1}\" text-anchor=\"end\">{v:0.###}</text>");
            }
            foreach (var n in ns)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(n):F1}\" y=\"{y0 + PanelHeight + 14}\" text-anchor=\"middle\">{n}</text>");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + PanelWidth / 2}\" y=\"{y0 + PanelHeight + 30}\" text-anchor=\"middle\">sessions (N, log scale)</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + 4}\" y=\"{y0 + 12}\" fill=\"#555\">{unit}</text>");
            if (goal is { } goalValue)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x0}\" x2=\"{x0 + PanelWidth}\" y1=\"{Y(goalValue):F1}\" y2=\"{Y(goalValue):F1}\" stroke=\"#2ca02c\" stroke-dasharray=\"5,4\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + PanelWidth - 4}\" y=\"{Y(goalValue) - 4:F1}\" text-anchor=\"end\" fill=\"#2ca02c\">{(p == 0 ? "this machine" : "goal")} {goalValue:0.###}</text>");
            }
            foreach (var (bridge, color, _) in Bridges)
            {
                var points = results.Where(r => r.Bridge == bridge && !double.IsNaN(value(r))).OrderBy(r => r.Sessions).Select(r => (X(r.Sessions), Y(value(r)))).ToList();
                if (points.Count == 0)
                {
                    continue;
                }
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', points.Select(pt => $"{pt.Item1:F1},{pt.Item2:F1}"))}\"/>");
                foreach (var (x, y) in points)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x:F1}\" cy=\"{y:F1}\" r=\"3\" fill=\"{color}\"/>");
                }
            }
        }
        int lx = Margin;
        foreach (var (bridge, color, label) in Bridges.Where(b => results.Any(r => r.Bridge == b.Bridge)))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"{height - 22}\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{lx + 16}\" y=\"{height - 12}\">{label}</text>");
            lx += 220;
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static double Nice(double v)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= v)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
