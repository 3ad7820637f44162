using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Voice.Conversation;
using V2V.Voice.Tests.Support;
using V2V.Voice.Tools;
using V2V.Voice.Turns;

namespace V2V.Voice.Tests.Tools;

/// <summary>Tool calls without a server: what goes wrong becomes the function's output; the model goes on once every call is answered.</summary>
public sealed class ToolCoordinatorTests
{
    private static AIFunction Weather(Func<Task<string>> answer) => AIFunctionFactory.Create(answer, name: "weather", description: "The weather");

    [Fact]
    public async Task AnUnknownTool_AFailure_BadArguments_AndATimeout_BecomeErrorOutputsForTheModel()
    {
        static Task<string> Run(AIFunction? function, string arguments = "{}", int timeoutMs = 30_000) =>
            ToolInvocation.RunAsync(function, "weather", arguments, TimeSpan.FromMilliseconds(timeoutMs), NullLogger.Instance, TestContext.Current.CancellationToken);

        var unknown = await Run(null);
        var failed = await Run(Weather(() => throw new InvalidOperationException("no forecast")));
        var notAnObject = await Run(Weather(() => Task.FromResult("{}")), arguments: "[1]");
        var silent = await Run(AIFunctionFactory.Create(async (CancellationToken ct) => { await Task.Delay(Timeout.Infinite, ct); return ""; }, name: "weather"), timeoutMs: 50);
        var answered = await Run(Weather(() => Task.FromResult("""{"sky":"blue"}""")));

        Assert.Equal("the tool 'weather' is not available", Error(unknown));
        Assert.Equal("the tool 'weather' failed: no forecast", Error(failed));
        Assert.Equal("the tool 'weather' failed: the arguments must be a JSON object (got Array)", Error(notAnObject));
        Assert.Equal("the tool 'weather' did not answer within 0.1 s", Error(silent));
        Assert.Equal("""{"sky":"blue"}""", answered);
    }

    [Fact]
    public async Task TheModelIsAskedToGoOn_OnceEveryCallIsAnswered_AndTheResponseThatMadeThemIsDone()
    {
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig(o => o.Tools = [Weather(() => Task.FromResult("""{"sky":"blue"}"""))]);
        var turns = new TurnTracker();
        var history = new ConversationHistory(maxTurns: 10);
        var tools = new ToolCoordinator(rig.Context, history, turns, new ResponseCoordinator(rig.Context, turns, rig.Inbox), rig.Inbox);
        turns.OnResponseCreated("resp_1");
        tools.OnCallAnnounced("call_2", "weather");

        tools.Start("call_1", "weather", "{}");
        tools.Start("call_2", null, "{}"); // its name came with the item
        Assert.True(tools.HasCallsOut);
        await rig.RunNextPostedAsync();
        Assert.Empty(rig.Sent<ResponseCreateEvent>()); // one call is still out
        await rig.RunNextPostedAsync();
        Assert.False(tools.HasCallsOut);
        Assert.Equal(2, rig.Sent<ConversationItemCreateEvent>().Count);
        Assert.Empty(rig.Sent<ResponseCreateEvent>()); // the response that made the calls is not done

        turns.OnResponseDone("resp_1");
        await tools.AnswerIfReadyAsync(ct);

        Assert.Single(rig.Sent<ResponseCreateEvent>());
        Assert.Equal(4, history.Items.Count); // two calls, two outputs
        Assert.Contains(history.Items, i => i.Name == "weather" && i.CallId == "call_2");
    }

    [Fact]
    public async Task ARoundWhoseOutputsCameBeforeACreateOnItsWay_IsAnsweredByIt_NotAskedForBehindIt()
    {
        // A new connection asks for the answer owed after the history (with the round's outputs) was sent: that create
        // answers the round too. Asking for the round as well sent a second create behind it, which the service refused
        // (conversation_already_has_active_response), and its retry made the model answer twice.
        var ct = TestContext.Current.CancellationToken;
        var (rig, turns, responses, tools) = RoundRig();
        turns.OnResponseCreated("resp_1");
        tools.Start("call_1", "weather", "{}");
        await rig.RunNextPostedAsync();
        turns.OnResponseDone("resp_1");
        turns.OnNewConnection(); // the output is ready; the round's answer not yet asked for

        await responses.RequestAsync(null, ct); // the answer owed
        await tools.AnswerIfReadyAsync(ct);
        Assert.Single(rig.Sent<ResponseCreateEvent>());

        await AnswerToItsEndAsync(turns, responses, tools, "resp_2");
        Assert.Single(rig.Sent<ResponseCreateEvent>());
    }

    [Fact]
    public async Task AnOutputSentWhileACreateIsOnItsWay_IsAnsweredAfterThatResponse()
    {
        // The service reads the create before the output behind it: the response it makes has not seen the output.
        var ct = TestContext.Current.CancellationToken;
        var (rig, turns, responses, tools) = RoundRig();
        turns.OnResponseCreated("resp_1");
        tools.Start("call_1", "weather", "{}");
        turns.OnResponseDone("resp_1");
        await responses.RequestAsync(null, ct); // say, the user typed while the tool ran

        await rig.RunNextPostedAsync(); // the output, behind that create
        Assert.Single(rig.Sent<ResponseCreateEvent>());
        await AnswerToItsEndAsync(turns, responses, tools, "resp_2");

        Assert.Equal(2, rig.Sent<ResponseCreateEvent>().Count);
    }

    /// <summary>The response created, then done, as the session's router sees them: what waits for its end is asked for.</summary>
    private static async Task AnswerToItsEndAsync(TurnTracker turns, ResponseCoordinator responses, ToolCoordinator tools, string responseId)
    {
        var ct = TestContext.Current.CancellationToken;
        turns.OnResponseCreated(responseId);
        tools.OnResponseCreated();
        turns.OnResponseDone(responseId);
        await responses.SendDeferredIfReadyAsync(ct);
        await tools.AnswerIfReadyAsync(ct);
    }

    private static (StageRig Rig, TurnTracker Turns, ResponseCoordinator Responses, ToolCoordinator Tools) RoundRig()
    {
        var rig = new StageRig(o => o.Tools = [Weather(() => Task.FromResult("""{"sky":"blue"}"""))]);
        var turns = new TurnTracker();
        var responses = new ResponseCoordinator(rig.Context, turns, rig.Inbox);
        return (rig, turns, responses, new ToolCoordinator(rig.Context, new ConversationHistory(maxTurns: 10), turns, responses, rig.Inbox));
    }

    [Fact]
    public async Task ANewConnection_IsGivenTheRoundsCallsAndOutputs_TheHistoryDidNotCarry_AndTheModelIsAskedToAnswerThere()
    {
        // History off: nothing is replayed, yet the round in progress is the model's to answer. One call answered, one
        // still out, the response that made them not done when the connection was replaced.
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig(o => o.Tools = [Weather(() => Task.FromResult("""{"sky":"blue"}"""))]);
        var turns = new TurnTracker();
        var responses = new ResponseCoordinator(rig.Context, turns, rig.Inbox);
        var tools = new ToolCoordinator(rig.Context, new ConversationHistory(maxTurns: 0), turns, responses, rig.Inbox);
        turns.OnResponseCreated("resp_1");
        tools.Start("call_1", "weather", "{}");
        await rig.RunNextPostedAsync();
        tools.Start("call_2", "weather", "{}");

        var next = new RecordingConnection();
        await tools.ReplayRoundAsync(next, replayed: [], ct);
        turns.OnNewConnection();

        var created = next.Sent.OfType<ConversationItemCreateEvent>().Select(e => (e.Item!.Type, e.Item.CallId)).ToList();
        Assert.Equal([("function_call", "call_1"), ("function_call_output", "call_1"), ("function_call", "call_2")], created);
        await rig.RunNextPostedAsync(); // call_2 answers, on the new connection
        Assert.Single(rig.Sent<ResponseCreateEvent>());

        // Its answer asked for, then lost with the connection before a word of it was heard: owed on the next, which needs
        // the round to answer it.
        responses.ConnectionEnding();
        var owing = new RecordingConnection();
        await tools.ReplayRoundAsync(owing, replayed: [], ct);
        Assert.Equal(4, owing.Sent.Count);

        // Owed no more (here: the user's question itself was sent again, and the new connection answers that): the round
        // is not created on a later connection.
        responses.NewConnection(userSpoke: true);
        var after = new RecordingConnection();
        await tools.ReplayRoundAsync(after, replayed: [], ct);
        Assert.Empty(after.Sent);
    }

    private static string? Error(string output) => JsonDocument.Parse(output).RootElement.GetProperty("error").GetString();

    [Fact]
    public async Task ATool_RegisteredLater_ReachesTheInstructions_WhenTheyListTheTools()
    {
        var ct = TestContext.Current.CancellationToken;
        var listing = new StageRig(o => o.Instructions = "Be brief. {tools}");
        var plain = new StageRig(o => o.Instructions = "Be brief.");

        foreach (var rig in new[] { listing, plain })
        {
            var turns = new TurnTracker();
            var tools = new ToolCoordinator(rig.Context, new ConversationHistory(maxTurns: 10), turns, new ResponseCoordinator(rig.Context, turns, rig.Inbox), rig.Inbox);
            var configurator = new V2V.Voice.Configuration.SessionConfigurator(rig.Context.Options, new V2V.Voice.Session.ServerLink(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
            await tools.AddAsync(Weather(() => Task.FromResult("{}")), configurator, ct);
        }

        var listed = Assert.Single(listing.Sent<SessionUpdateEvent>()).Session;
        Assert.Equal("Be brief. You have several tools that you can get help from:\n- ***weather***: The weather", listed.Instructions);
        Assert.Equal("weather", Assert.Single(listed.Tools!).Name);
        var unchanged = Assert.Single(plain.Sent<SessionUpdateEvent>()).Session;
        Assert.Null(unchanged.Instructions); // not sent again: the session keeps what it was given
        Assert.Equal("weather", Assert.Single(unchanged.Tools!).Name);
    }
}
