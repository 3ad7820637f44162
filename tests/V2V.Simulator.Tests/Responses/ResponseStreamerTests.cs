using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using V2V.Simulator.Mcp;
using V2V.Simulator.Protocol;
using V2V.Simulator.Responses;
using V2V.Simulator.Session;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Responses;

/// <summary>
/// The order of a response's events, and the pace of its audio, without a socket: the steps are taken as the
/// session takes them (an end through the lifecycle); the pace runs on a fake clock.
/// </summary>
public sealed class ResponseStreamerTests
{
    private const int PerMs = TestAudio.SamplesPerMs;

    [Fact]
    public async Task AnAudioAnswer_InTheServicesOrder_EachWordWithTheDeltaInWhichItsAudioStarts()
    {
        var stream = new Stream(DialectProfile.Ga, o => o.AudioChunkMs = 100);
        var response = stream.Response(new PlannedAudio(new short[1000 * PerMs], "one two three four five"));

        var events = await stream.RunAsync(response);

        var types = events.Select(e => e.Type()).ToList();
        Assert.Equal(["response.created", "response.output_item.added", "conversation.item.added", "response.content_part.added"], types[..4]);
        Assert.Equal(
            ["response.output_audio.done", "response.output_audio_transcript.done", "response.content_part.done", "response.output_item.done", "conversation.item.done", "response.done", "rate_limits.updated"],
            types[^7..]);

        // Five words over ten deltas of 100 ms: a word starts every 200 ms, so in the 1st, 3rd, 5th, 7th and 9th delta.
        var deltas = string.Join(' ', types[4..^7].Select(t => t == "response.output_audio.delta" ? "A" : "T"));
        Assert.Equal("A T A A T A A T A A T A A T A", deltas);
        Assert.Equal(["one", " two", " three", " four", " five"], events.OfType("response.output_audio_transcript.delta").Select(e => e.Str("delta")));
        Assert.Equal(1000 * PerMs * 2, events.AudioBytes("response.output_audio.delta"));
        Assert.Equal("one two three four five", events.OfType("response.output_audio_transcript.done").Single().Str("transcript"));
        Assert.Equal(1000 * PerMs, response.AudioSamplesSent);
        Assert.Equal("completed", events.OfType("response.done").Single()["response"]!.Str("status"));
    }

    [Fact]
    public async Task ASoundWithNoWords_HasNoTranscriptDeltas_AndAnEmptyTranscript()
    {
        var stream = new Stream(DialectProfile.Ga, o => o.AudioChunkMs = 100);

        var events = await stream.RunAsync(stream.Response(new PlannedAudio(new short[300 * PerMs], string.Empty)));

        Assert.Equal(3, events.OfType("response.output_audio.delta").Count());
        Assert.Empty(events.OfType("response.output_audio_transcript.delta"));
        Assert.Equal(string.Empty, events.OfType("response.output_audio_transcript.done").Single().Str("transcript"));
    }

    [Fact]
    public async Task InBeta_RateLimitsComeWithTheCreation_AndItemsHaveNoDoneEvent()
    {
        var stream = new Stream(DialectProfile.Beta, o => o.AudioChunkMs = 100);

        var types = (await stream.RunAsync(stream.Response(new PlannedAudio(new short[200 * PerMs], "hi")))).Select(e => e.Type()).ToList();

        Assert.Equal(
        [
            "response.created", "rate_limits.updated", "response.output_item.added", "conversation.item.created", "response.content_part.added",
            "response.audio.delta", "response.audio_transcript.delta", "response.audio.delta",
            "response.audio.done", "response.audio_transcript.done", "response.content_part.done", "response.output_item.done", "response.done",
        ], types);
    }

    [Fact]
    public async Task ATextAnswer_IsADeltaAWord()
    {
        var stream = new Stream(DialectProfile.Ga);

        var events = await stream.RunAsync(stream.Response(new PlannedText("You said: hello")));

        Assert.Equal(
        [
            "response.created", "response.output_item.added", "conversation.item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done", "conversation.item.done", "response.done", "rate_limits.updated",
        ], events.Select(e => e.Type()));
        Assert.Equal("You said: hello", events.OfType("response.output_text.done").Single().Str("text"));
    }

    [Fact]
    public async Task AFunctionCall_HasItsArgumentsInDeltas_ThenDone_AndNoContentPart()
    {
        var stream = new Stream(DialectProfile.Ga);
        const string arguments = """{"city":"Paris, France","unit":"celsius"}""";

        var events = await stream.RunAsync(stream.Response(new PlannedFunctionCall("get_weather", arguments)));

        Assert.Equal(
        [
            "response.created", "response.output_item.added", "conversation.item.added",
            "response.function_call_arguments.delta", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
            "response.function_call_arguments.done", "response.output_item.done", "conversation.item.done", "response.done", "rate_limits.updated",
        ], events.Select(e => e.Type()));
        Assert.Equal(arguments, string.Concat(events.OfType("response.function_call_arguments.delta").Select(e => e.Str("delta"))));
        var done = events.OfType("response.function_call_arguments.done").Single();
        Assert.Equal("get_weather", done.Str("name"));
        Assert.Equal(arguments, done.Str("arguments"));
        Assert.Equal(done.Str("call_id"), events.OfType("response.output_item.done").Single()["item"]!.Str("call_id"));
    }

    [Fact]
    public async Task SeveralItems_FollowEachOther_WithTheirOutputIndex_IntoTheConversation()
    {
        var stream = new Stream(DialectProfile.Ga, o => o.AudioChunkMs = 100);

        var events = await stream.RunAsync(stream.Response(new PlannedAudio(new short[300 * PerMs], "first part"), new PlannedAudio(new short[300 * PerMs], "second part")));

        var added = events.OfType("response.output_item.added").ToList();
        var done = events.OfType("response.output_item.done").ToList();
        Assert.Equal([0, 1], added.Select(e => e.Int("output_index")));
        Assert.True(events.IndexOf(done[0]) < events.IndexOf(added[1]));
        Assert.Equal(added.Select(e => e["item"]!.Str("id")), stream.Conversation.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task AFailingResponse_IsCreated_ThenDoneAsFailed_WithNoOutput()
    {
        var stream = new Stream(DialectProfile.Ga);
        var response = new ActiveResponse(CancellationToken.None) { Plan = [new PlannedText("never said")], Context = [], Modalities = ["text"], FailWith = "server_error" };

        var events = await stream.RunAsync(response);

        Assert.Equal(["response.created", "response.done", "rate_limits.updated"], events.Select(e => e.Type()));
        Assert.Equal("failed", events[1]["response"]!.Str("status"));
    }

    [Fact]
    public async Task AtTheServicesPace_EachDeltaWaitsUntilItsAudioIsGenerated()
    {
        var clock = new FakeTimeProvider();
        await using var steps = await OpenedAudioItemAsync(clock, new PlannedAudio(new short[400 * PerMs], "a b"), o => o.GenerationSpeed = 4);

        // 100 ms of audio at 4x: each delta is due 25 ms after the one before, counted from the creation.
        await DueAfterAsync(clock, steps.MoveNextAsync(), TimeSpan.FromMilliseconds(25));
        await DueAfterAsync(clock, steps.MoveNextAsync(), TimeSpan.FromMilliseconds(25));
    }

    [Fact]
    public async Task AtRealTimePace_TheAudioRunsAheadByTheLead_ThenWaits()
    {
        var clock = new FakeTimeProvider();
        await using var steps = await OpenedAudioItemAsync(clock, new PlannedAudio(new short[1000 * PerMs], "a b"), o =>
        {
            o.Pace = ResponsePace.RealTime;
            o.AudioLeadMs = 500;
        });

        // The deltas that start within the lead (0-500 ms) leave at once; the one that starts at 600 ms waits 100 ms.
        for (var delta = 0; delta < 6; delta++)
        {
            var next = steps.MoveNextAsync();
            Assert.True(next.IsCompleted);
            Assert.True(await next);
        }

        await DueAfterAsync(clock, steps.MoveNextAsync(), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task TheFirstResponsesDelay_ComesBeforeItsCreation_AndEndingTheResponseStopsTheWait()
    {
        var clock = new FakeTimeProvider();
        var stream = new Stream(DialectProfile.Ga, clock: clock);
        var delayed = new ActiveResponse(CancellationToken.None) { Plan = [new PlannedText("hi")], Context = [], Modalities = ["text"], StartDelay = TimeSpan.FromSeconds(2) };
        await using (var steps = stream.Streamer.StepsAsync(delayed).GetAsyncEnumerator(TestContext.Current.CancellationToken))
        {
            await DueAfterAsync(clock, steps.MoveNextAsync(), TimeSpan.FromSeconds(2));
        }

        var cancelled = new ActiveResponse(CancellationToken.None) { Plan = [new PlannedText("hi")], Context = [], Modalities = ["text"], StartDelay = TimeSpan.FromSeconds(2) };
        await using var never = stream.Streamer.StepsAsync(cancelled).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        var waiting = never.MoveNextAsync();
        cancelled.Finish();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
    }

    /// <summary>The steps of a paced audio answer in 100 ms deltas, taken up to its item's opening (neither waits).</summary>
    private static async Task<IAsyncEnumerator<ResponseStep>> OpenedAudioItemAsync(FakeTimeProvider clock, PlannedAudio audio, Action<LocalRealtimeServerOptions> pace)
    {
        var stream = new Stream(DialectProfile.Ga, o =>
        {
            o.SpeedFactor = 1;
            o.AudioChunkMs = 100;
            pace(o);
        }, clock);
        var steps = stream.Streamer.StepsAsync(stream.Response(audio)).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        Assert.True(await steps.MoveNextAsync());   // response.created
        Assert.True(await steps.MoveNextAsync());   // the item opens at once
        return steps;
    }

    /// <summary>The step comes once the fake clock has moved <paramref name="due"/>, not a millisecond before.</summary>
    private static async Task DueAfterAsync(FakeTimeProvider clock, ValueTask<bool> step, TimeSpan due)
    {
        clock.Advance(due - TimeSpan.FromMilliseconds(1));
        Assert.False(step.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await step);
    }

    /// <summary>A streamer with what it works on; <see cref="RunAsync"/> takes every step as the session does.</summary>
    private sealed class Stream
    {
        private readonly ResponseLifecycle _lifecycle;

        public Stream(DialectProfile profile, Action<LocalRealtimeServerOptions>? configure = null, TimeProvider? clock = null)
        {
            var options = new LocalRealtimeServerOptions { SpeedFactor = 0 };
            configure?.Invoke(options);
            var config = new SessionConfig(profile, null, DateTimeOffset.UnixEpoch);
            var items = new OutputItemEvents(profile, Conversation);
            var mcp = new McpServers(Conversation, options.McpRequestTimeout);
            _lifecycle = new ResponseLifecycle(config, Conversation, items, new EchoAgent(null), options, mcp);
            Streamer = new ResponseStreamer(config, Conversation, items, options, clock ?? TimeProvider.System, mcp);
        }

        public Conversation Conversation { get; } = new();

        public ResponseStreamer Streamer { get; }

        public ActiveResponse Response(params PlannedOutput[] plan) =>
            new(CancellationToken.None) { Plan = plan, Context = [], Modalities = ["audio"] };

        public async Task<List<JsonObject>> RunAsync(ActiveResponse response)
        {
            var events = new List<JsonObject>();
            await foreach (var step in Streamer.StepsAsync(response))
            {
                events.AddRange(step switch
                {
                    ResponseStep.Emit emit => emit.Apply(),
                    ResponseStep.End end => _lifecycle.End(response, end.Outcome),
                    _ => throw new InvalidOperationException(),
                });
            }

            return events;
        }
    }
}
