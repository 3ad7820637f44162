using System.Text.Json;
using V2V.Audio;
using V2V.Simulator;

namespace V2V.Cli.Tests;

/// <summary><c>v2v graph run</c> on the repository's default graph: WAV source → openai_v2v → WAV sink + transcript + tool.</summary>
public sealed class GraphRunTests
{
    [Fact]
    public async Task DefaultGraph_AnswersTheQuestion_AndEndsOnItsOwn()
    {
        var repository = RepositoryFiles.Root();
        var work = Directory.CreateTempSubdirectory("v2v-graph-run-").FullName;
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 20 }, TestContext.Current.CancellationToken);

        var (code, output) = await CliProcess.RunInAsync(work, "graph", "run", Path.Combine(repository, "graphs", "default.json"),
            "--set", $"source.path={Path.Combine(repository, "graphs", "audio", "question.wav")}",
            "--set", "source.realtime=false",
            "--set", $"v2v.base_uri={server.BaseUri}");

        Assert.True(code == 0, output);
        var answer = WavReader.ReadFile(Path.Combine(work, "out", "answer.wav"));
        Assert.True(answer.Duration > TimeSpan.FromSeconds(1), $"answer of {answer.Duration}");
        var lines = File.ReadAllLines(Path.Combine(work, "out", "transcript.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        // Turns have a role; other lines are events (a flush when the user's speech interrupts the greeting).
        var roles = lines.Where(l => l.TryGetProperty("role", out _)).Select(l => l.GetProperty("role").GetString()).ToList();
        Assert.Contains("user", roles);
        Assert.Contains("assistant", roles);
        // The question's place in the timeline: the pending event at its commit names the item its words came for.
        var question = lines.Single(l => l.TryGetProperty("role", out var r) && r.GetString() == "user").GetProperty("item_id").GetString();
        Assert.Contains(lines, l => l.TryGetProperty("event", out var e) && e.GetString() == "user_transcript_pending"
            && l.GetProperty("item_id").GetString() == question && l.GetProperty("pending").GetBoolean());
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task InvalidGraph_ExitsWith2_NamingTheProblem()
    {
        var work = Directory.CreateTempSubdirectory("v2v-graph-bad-").FullName;
        var graph = Path.Combine(work, "bad.json");
        await File.WriteAllTextAsync(graph, """
            {"nodes":[{"type":"extension","name":"v2v","addon":"openai_v2v","property":{"temperature":"hot"}}],
             "connections":[{"extension":"v2v","cmd":[{"name":"flush","dest":[{"extension":"nowhere"}]}]}]}
            """, TestContext.Current.CancellationToken);

        var (code, output) = await CliProcess.RunInAsync(work, "graph", "run", graph);

        Assert.Equal(2, code);
        Assert.Contains("temperature", output, StringComparison.Ordinal);
        Assert.Contains("nowhere", output, StringComparison.Ordinal);
        Directory.Delete(work, recursive: true);
    }
}
