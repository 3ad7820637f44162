namespace V2V.Cli.Tests.ScaleOut;

/// <summary>
/// Two <c>v2v serve</c> nodes (processes of the built CLI) behind the real HAProxy with deploy/scaleout/haproxy.cfg;
/// sessions are scripted pages over the WebSocket of PROTOCOL.md, through the balancer. One node is drained (SIGTERM)
/// while a user is speaking to it.
/// </summary>
public sealed class DrainBehindBalancerTests
{
    // Far beyond the turn the test waits for: the drained node exits because it is empty, not because time ran out.
    private const string DrainTimeoutSeconds = "300";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DrainingNode_LeavesThePool_FinishesItsLiveTurn_AndExitsWhenEmpty()
    {
        if (Balancer.Find() is null)
        {
            // CI installs haproxy (test.sh); only a developer's machine without it may skip, and it says why.
            Assert.False(IsCi, "haproxy is not installed, and this run is CI, where test.sh installs it (apt-get install -y haproxy).");
            Assert.Skip("haproxy is not installed (apt-get install -y haproxy, or run test.sh): the balancer test needs the real balancer.");
        }
        var work = Directory.CreateTempSubdirectory("v2v-scaleout-").FullName;
        var nodes = await Task.WhenAll(
            ServeProcess.StartAsync(AppContext.BaseDirectory, NoEnvironment, "--drain-timeout", DrainTimeoutSeconds),
            ServeProcess.StartAsync(AppContext.BaseDirectory, NoEnvironment, "--drain-timeout", DrainTimeoutSeconds));
        var pages = new List<PageClient>();
        try
        {
            await using var balancer = Balancer.Start(Path.Combine(RepositoryFiles.Root(), "deploy", "scaleout", "haproxy.cfg"), work, nodes);
            await balancer.WaitForServerAsync("node1", "UP", Patience);
            await balancer.WaitForServerAsync("node2", "UP", Patience);

            // One session on each node (leastconn sends the second to the node without one).
            var talker = await OpenAsync(balancer, pages);
            var other = await OpenAsync(balancer, pages);
            Assert.NotEqual(talker.Node, other.Node);
            var drained = nodes[talker.Node == "node1" ? 0 : 1];
            var remaining = talker.Node == "node1" ? "node2" : "node1";

            // The user is speaking to the node when it is told to drain.
            var speaking = talker.SpeakAsync("What is the weather in Paris today?", Ct);
            await talker.WaitForAsync(m => m.Any(x => x.IsEvent("user_speech_started")), "the server hearing the user speak", Ct);
            await drained.TerminateAsync();

            // It leaves the pool: new sessions all go to the other node and start there.
            await balancer.WaitForServerAsync(talker.Node, "DOWN", Patience);
            for (var i = 0; i < 3; i++)
            {
                var late = await OpenAsync(balancer, pages);
                Assert.Equal(remaining, late.Node);
            }

            // The live session is not dropped: the turn it was in is heard, answered and spoken to its end.
            try
            {
                await speaking;
            }
            catch (System.Net.WebSockets.WebSocketException ex)
            {
                Assert.Fail($"the draining node dropped the live session while the user spoke ({ex.Message}). It got: {talker.Describe()}\nThe node said:\n{drained.Output}");
            }
            await talker.WaitForAsync(AnsweredWithVoice, "the user's turn, then the agent's whole answer to it with its audio", Ct);
            Assert.DoesNotContain(talker.Received, m => m.Is("error") && m.Json!.Value.GetProperty("fatal").GetBoolean());
            Assert.False(talker.Closed, "the draining node closed a live session: " + talker.Describe());
            Assert.False(drained.HasExited, "the draining node exited with a session still live:\n" + drained.Output);

            // Once its last session has ended, it exits (well before its drain deadline) and says all went well.
            await talker.StopAsync(Ct);
            Assert.True(await drained.WaitForExitAsync(Patience), $"the drained node was still running {Patience.TotalSeconds:F0} s after its last session ended:\n{drained.Output}");
            Assert.Equal(0, drained.ExitCode);

            // The other node never noticed: its session is still open.
            Assert.False(other.Closed, other.Describe());
            Assert.False(nodes[talker.Node == "node1" ? 1 : 0].HasExited);
        }
        finally
        {
            foreach (var page in pages)
            {
                await page.DisposeAsync();
            }
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            Directory.Delete(work, recursive: true);
        }
    }

    private static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    // A session through the balancer, started (ready) and past the agent's greeting, so speech is a turn, not a barge-in.
    private static async Task<PageClient> OpenAsync(Balancer balancer, List<PageClient> pages)
    {
        var page = await PageClient.StartAsync(balancer.Address, Ct);
        pages.Add(page);
        await page.WaitForAsync(m => m.Any(x => x.Is("ready")) && m.Any(x => x.IsTranscript("assistant", final: true)), "ready and the agent's greeting", Ct);
        return page;
    }

    // The user's final transcript, then the agent's final transcript and half a second of its voice (24 kHz pcm16) after it.
    private static bool AnsweredWithVoice(IReadOnlyList<PageMessage> messages)
    {
        var user = -1;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].IsTranscript("user", final: true))
            {
                user = i;
                break;
            }
        }
        if (user < 0)
        {
            return false;
        }
        var after = messages.Skip(user + 1).ToList();
        return after.Any(m => m.IsTranscript("assistant", final: true)) && after.Sum(m => m.AudioBytes) >= 24000;
    }
}
