using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Graph.Tests.Support;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.Hosting;

public sealed class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Extensions_InitThenStartInNodeOrder_StopThenDeinitInReverse()
    {
        var journal = new Journal();
        var graph = await TestGraph.StartAsync(TestGraph.Probes("[]", "a", "b", "c"), journal);

        await graph.StopAsync(Ct);

        var entries = journal.Entries;
        Assert.Equal(["init a", "init b", "init c"], entries.Take(3));
        Assert.Equal(["start a", "start b", "start c"], entries.Skip(3).Take(3).Order());
        Assert.Equal(["stop c", "stop b", "stop a", "deinit c", "deinit b", "deinit a"], entries.Skip(6));
    }

    [Fact]
    public async Task StopAsync_CalledTwice_StopsOnce()
    {
        var journal = new Journal();
        var graph = await TestGraph.StartAsync(TestGraph.Probes("[]", "a"), journal);

        await Task.WhenAll(graph.StopAsync(Ct), graph.StopAsync(Ct));
        await graph.DisposeAsync();

        Assert.Single(journal.StartingWith("stop"));
    }

    [Fact]
    public async Task AfterAnExtensionStops_CmdsToItGetErrors_AndFramesAreDropped()
    {
        var journal = new Journal();
        var graph = await TestGraph.StartAsync(TestGraph.Probes("""
            [ { "extension": "first", "cmd": [ { "name": "ping", "dest": [ { "extension": "second" } ] } ],
                "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "second" } ] } ] } ]
            """, "first", "second"), journal);
        CmdResult? late = null;
        // 'second' stops before 'first' (reverse order): what 'first' sends while stopping finds it stopped.
        graph.Get<Probe>("first").OnStop = async (env, ct) =>
        {
            late = await env.SendCmdAsync(new Cmd("ping"), ct);
            await env.SendAudioFrameAsync(TestFrames.Pcm(1), ct);
        };

        await graph.StopAsync(Ct);

        Assert.Equal(StatusCode.Error, late!.Status);
        Assert.Contains("'second'", late.Detail, StringComparison.Ordinal);
        Assert.Contains("stopped", late.Detail, StringComparison.Ordinal);
        Assert.Equal(1, graph.GetStatistics().Single(s => s.Name == "second").Dropped);
        Assert.Empty(graph.Get<Probe>("second").Received);
    }

    [Fact]
    public async Task StopAsync_Cancelled_CancelsTheHandlersAndThrows()
    {
        var journal = new Journal();
        var graph = await TestGraph.StartAsync(TestGraph.Probes("[]", "stuck"), journal);
        var sawCancellation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        graph.Get<Probe>("stuck").OnStop = async (env, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                sawCancellation.SetResult();
                throw;
            }
        };
        using var impatient = new CancellationTokenSource();
        var stopping = graph.StopAsync(impatient.Token);

        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopping);
        await sawCancellation.Task.WaitAsync(Ct);
    }

    [Fact]
    public async Task ExtensionFailingToStart_FailsTheStart_NamingIt_AndTheOthersAreStopped()
    {
        var journal = new Journal();
        var failing = TestAddon.Create("failing", () => new FailsTo("start"));

        var ex = await Assert.ThrowsAsync<GraphRunException>(() => TestGraph.StartAsync("""
            { "nodes": [ { "name": "ok", "addon": "probe" }, { "name": "bad", "addon": "failing" } ] }
            """, journal, more: failing));

        Assert.Contains("'bad' failed to start", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no start today", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["init ok", "start ok", "stop ok", "deinit ok"], journal.Entries);
    }

    [Fact]
    public async Task ExtensionFailingToInit_FailsTheStart_AndThoseInitedAreDeinited()
    {
        var journal = new Journal();
        var failing = TestAddon.Create("failing", () => new FailsTo("init"));

        var ex = await Assert.ThrowsAsync<GraphRunException>(() => TestGraph.StartAsync("""
            { "nodes": [ { "name": "ok", "addon": "probe" }, { "name": "bad", "addon": "failing" }, { "name": "later", "addon": "probe" } ] }
            """, journal, more: failing));

        Assert.Contains("'bad' failed to init: no init today", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["init ok", "deinit ok"], journal.Entries);
    }

    [Fact]
    public async Task SendingDuringInit_IsRefusedWithAClearMessage()
    {
        var journal = new Journal();
        var eager = TestAddon.Create("eager", () => new SendsDuringInit());

        var ex = await Assert.ThrowsAsync<GraphRunException>(() => TestGraph.StartAsync("""
            { "nodes": [ { "name": "eager", "addon": "eager" } ] }
            """, journal, more: eager));

        Assert.Contains("OnStartAsync", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CmdSentFromOnStart_ReachesAnExtensionThatStartsLater_AfterItsStart()
    {
        var journal = new Journal();
        var early = TestAddon.Create("early", () => new PingsOnStart(journal));

        await using var graph = await TestGraph.StartAsync("""
            { "nodes": [ { "name": "early", "addon": "early" }, { "name": "late", "addon": "probe" } ],
              "connections": [ { "extension": "early", "cmd": [ { "name": "ping", "dest": [ { "extension": "late" } ] } ] } ] }
            """, journal, more: early);

        var entries = journal.Entries.ToList();
        Assert.True(entries.IndexOf("start late") < entries.IndexOf("late cmd ping from early"));
        Assert.Contains("early got Ok", entries);
    }

    [Fact]
    public async Task WaitForCompletion_EndsWhenParticipantsAreDoneAndTheGraphIsIdle()
    {
        var journal = new Journal();
        var finite = TestAddon.Create("finite", () => new FiniteSender());
        await using var graph = await TestGraph.StartAsync("""
            { "nodes": [ { "name": "finite", "addon": "finite" }, { "name": "sink", "addon": "probe" } ],
              "connections": [ { "extension": "finite", "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "sink" } ] } ] } ] }
            """, journal, more: finite);

        Assert.True(graph.HasParticipants);
        await graph.WaitForCompletionAsync(TimeSpan.FromMilliseconds(20), Ct);

        Assert.Equal(FiniteSender.Count, graph.Get<Probe>("sink").Received.Count);
    }

    [Fact]
    public async Task WaitForCompletion_ThrowsWhenAParticipantFails()
    {
        var journal = new Journal();
        var broken = TestAddon.Create("broken", () => new BrokenParticipant());
        await using var graph = await TestGraph.StartAsync("""{ "nodes": [ { "name": "broken", "addon": "broken" } ] }""", journal, more: broken);

        var ex = await Assert.ThrowsAsync<IOException>(() => graph.WaitForCompletionAsync(TimeSpan.Zero, Ct));

        Assert.Equal("disk gone", ex.Message);
    }

    [Fact]
    public async Task Validate_DoesNotStartAnything()
    {
        var journal = new Journal();
        var host = new GraphHost(TestGraph.Registry(journal));

        var plan = host.Validate(GraphJson.Parse(TestGraph.Probes("[]", "a", "b")));

        Assert.Equal(["a", "b"], plan.Nodes.Select(n => n.Name));
        Assert.Empty(journal.Entries);
    }

    private sealed class FailsTo(string step) : Extension
    {
        public override Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken) =>
            step == "init" ? throw new InvalidOperationException("no init today") : Task.CompletedTask;

        public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken) =>
            step == "start" ? throw new InvalidOperationException("no start today") : Task.CompletedTask;
    }

    private sealed class SendsDuringInit : Extension
    {
        public override async Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken) =>
            await env.SendCmdAsync(new Cmd("hello"), cancellationToken);
    }

    private sealed class PingsOnStart(Journal journal) : Extension
    {
        public override async Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
        {
            var result = await env.SendCmdAsync(new Cmd("ping"), cancellationToken);
            journal.Add($"early got {result.Status}");
        }
    }

    private sealed class FiniteSender : Extension, IGraphParticipant
    {
        public const int Count = 25;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completion => _done.Task;

        public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
        {
            _ = Task.Run(async () =>
            {
                for (var i = 0; i < Count; i++)
                {
                    await env.SendAudioFrameAsync(TestFrames.Pcm(i), cancellationToken);
                }
                _done.SetResult();
            }, cancellationToken);
            return Task.CompletedTask;
        }
    }

    private sealed class BrokenParticipant : Extension, IGraphParticipant
    {
        public Task Completion => Task.FromException(new IOException("disk gone"));
    }
}
