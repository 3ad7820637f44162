using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;
using V2V.Voice.Turns;

namespace V2V.Voice.Tests.Turns;

/// <summary>Asking for responses as the service allows, without a server: the sends are recorded.</summary>
public sealed class ResponseCoordinatorTests
{
    [Fact]
    public async Task ARequest_WhileACancelledResponseIsNotDone_WaitsForItsDone_AndTheLatestRequestWins()
    {
        var ct = TestContext.Current.CancellationToken;
        var (rig, turns, responses) = Rig();
        turns.OnResponseCreated("resp_1");
        turns.BargeIn(null, 0); // cancelled: the service holds it until its response.done

        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = "first" }, ct);
        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = "latest" }, ct);
        await responses.SendDeferredIfReadyAsync(ct);
        Assert.Empty(rig.Sent<ResponseCreateEvent>());

        turns.OnResponseDone("resp_1");
        await responses.SendDeferredIfReadyAsync(ct);

        var create = Assert.Single(rig.Sent<ResponseCreateEvent>());
        Assert.Equal("latest", create.Response?.Instructions);
        Assert.True(turns.ResponseRequested);
    }

    [Fact]
    public async Task ACreateRefusedForAnActiveResponse_IsAskedAgainOnceAfterTheNextDone_AndASecondRefusalIsReported()
    {
        var ct = TestContext.Current.CancellationToken;
        var (rig, turns, responses) = Rig();

        await responses.RequestAsync(null, ct);
        var first = Assert.Single(rig.Sent<ResponseCreateEvent>());
        Assert.True(await responses.OnRefusedAsync(ActiveResponse(first.EventId), ct));
        Assert.False(turns.CanCreateResponse); // the service holds a response this side did not know of

        turns.OnResponseDone("resp_unknown");
        await responses.SendDeferredIfReadyAsync(ct);
        var retry = rig.Sent<ResponseCreateEvent>()[^1];
        Assert.NotEqual(first.EventId, retry.EventId);

        Assert.True(await responses.OnRefusedAsync(ActiveResponse(retry.EventId), ct));
        turns.OnResponseDone("resp_unknown");
        await responses.SendDeferredIfReadyAsync(ct);

        Assert.Equal(2, rig.Sent<ResponseCreateEvent>().Count);
        var error = Assert.IsType<ErrorOutput>(Assert.Single(rig.TakeOutputs()));
        Assert.Equal(ResponseCoordinator.ActiveResponseCode, error.Code);
        Assert.False(error.Fatal);
    }

    [Fact]
    public async Task WhenTheUserMovesOn_ARequestWaiting_AndOneRefusedAfterThat_AreNotAskedAgain()
    {
        // The user's speech supersedes what this side was about to ask (the service answers the speech itself): neither
        // the request waiting for a cancelled response's end, nor one the service refused because it was already
        // answering that speech, comes after that answer.
        var ct = TestContext.Current.CancellationToken;
        var (rig, turns, responses) = Rig();
        turns.OnResponseCreated("resp_1");
        turns.BargeIn(null, 0);
        await responses.RequestAsync(null, ct);
        responses.UserMovedOn();
        turns.OnResponseDone("resp_1");
        await responses.SendDeferredIfReadyAsync(ct);
        Assert.Empty(rig.Sent<ResponseCreateEvent>());

        await responses.RequestAsync(null, ct);
        var refused = Assert.Single(rig.Sent<ResponseCreateEvent>());
        responses.UserMovedOn();
        Assert.True(await responses.OnRefusedAsync(ActiveResponse(refused.EventId), ct));
        turns.OnResponseDone("resp_speech");
        await responses.SendDeferredIfReadyAsync(ct);

        Assert.Single(rig.Sent<ResponseCreateEvent>());
        Assert.Empty(rig.TakeOutputs());
    }

    [Fact]
    public async Task AnErrorAboutAnotherEvent_IsNoRefusalOfOurs()
    {
        var ct = TestContext.Current.CancellationToken;
        var (rig, turns, responses) = Rig();
        await responses.RequestAsync(null, ct);

        Assert.False(await responses.OnRefusedAsync(ActiveResponse("evt_someone_else"), ct));
        Assert.True(turns.ResponseRequested); // ours is still on its way
    }

    [Fact]
    public async Task ARequest_WithNoConnectionToSendItOn_IsOwedToTheNext_NotTakenForSent()
    {
        var ct = TestContext.Current.CancellationToken;
        var (rig, turns, responses) = Rig(connected: false);

        await responses.RequestAsync(null, ct);

        Assert.Empty(rig.Sent<ResponseCreateEvent>());
        Assert.False(turns.ResponseRequested); // nothing on its way to hold later requests back
        Assert.True(responses.OwesAnAnswer);
    }

    [Fact]
    public async Task ARequest_WithNothingNewSinceTheCreateOnItsWay_IsAnsweredByIt_ButOneAfterNewInputIsAskedForAfterIt()
    {
        // A new connection owing an answer and having a tool round to answer asks twice for the same conversation: one
        // create answers both (two, and the model answers twice). Input added after the create is not in its answer.
        var ct = TestContext.Current.CancellationToken;
        var (rig, turns, responses) = Rig();

        await responses.RequestAsync(null, ct);
        await responses.RequestAsync(null, ct);
        turns.OnResponseCreated("resp_1");
        turns.OnResponseDone("resp_1");
        await responses.SendDeferredIfReadyAsync(ct);
        Assert.Single(rig.Sent<ResponseCreateEvent>());

        await responses.RequestAsync(null, ct);
        responses.ConversationGrew(); // say, a tool's output, sent behind that create
        await responses.RequestAsync(null, ct);
        turns.OnResponseCreated("resp_2");
        turns.OnResponseDone("resp_2");
        await responses.SendDeferredIfReadyAsync(ct);
        Assert.Equal(3, rig.Sent<ResponseCreateEvent>().Count);
    }

    [Fact]
    public async Task ARequest_WhileOurCreateIsOnItsWay_IsNotSentBehindIt_ButAfterThatResponsesDone()
    {
        // The service makes a response active as it reads the create: a second create right behind it is refused
        // (conversation_already_has_active_response), the fault users of realtime clients report most.
        var ct = TestContext.Current.CancellationToken;
        var (rig, turns, responses) = Rig();

        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = "first" }, ct);
        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = "second" }, ct);
        Assert.Single(rig.Sent<ResponseCreateEvent>());

        turns.OnResponseCreated("resp_1");
        await responses.SendDeferredIfReadyAsync(ct);
        Assert.Single(rig.Sent<ResponseCreateEvent>());

        turns.OnResponseDone("resp_1");
        await responses.SendDeferredIfReadyAsync(ct);
        Assert.Equal(["first", "second"], rig.Sent<ResponseCreateEvent>().Select(c => c.Response?.Instructions));
    }

    [Fact]
    public async Task OurCreateRefusedForAReasonOfItsOwn_IsTheCallersToReport_AndTheRequestBehindItGoesAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var (rig, turns, responses) = Rig();
        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = "refused" }, ct);
        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = "next" }, ct);
        var refused = Assert.Single(rig.Sent<ResponseCreateEvent>());

        var invalid = new ErrorEvent { Error = new RealtimeErrorDetails { Code = "invalid_value", EventId = refused.EventId, Message = "bad" } };
        Assert.False(await responses.OnRefusedAsync(invalid, ct));

        Assert.Equal(["refused", "next"], rig.Sent<ResponseCreateEvent>().Select(c => c.Response?.Instructions));
        Assert.True(turns.ResponseRequested); // the next one's
    }

    [Fact]
    public async Task ACreateTheServiceNeverTakesUp_HoldsTheNextRequestOnlyForTheCreatedWait()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var rig = new StageRig(o => o.TimeProvider = time);
        var turns = new TurnTracker();
        var responses = new ResponseCoordinator(rig.Context, turns, rig.Inbox);
        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = "lost" }, ct);
        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = "next" }, ct);

        // The wait starts on the pool (PostAfter); advancing until it has been posted is bounded by the rig's wait.
        var posted = rig.RunNextPostedAsync();
        while (!posted.IsCompleted)
        {
            time.Advance(ResponseCoordinator.CreatedWait);
            await Task.WhenAny(posted, Task.Delay(10, ct));
        }
        await posted;

        Assert.Equal(["lost", "next"], rig.Sent<ResponseCreateEvent>().Select(c => c.Response?.Instructions));
    }

    [Fact]
    public async Task AnAnswerOwed_IsStillOwed_WhenTheNextConnectionEndsBeforeItIsAskedThere()
    {
        // A question typed while disconnected (or an answer lost with its connection) is owed to the next connection; one
        // that ends as it goes live, before it is asked there, passes the debt on. It used to forget it: "owed" became
        // "what was asked of the ending connection", which was nothing, and the question went unanswered (chaos-tools).
        var ct = TestContext.Current.CancellationToken;
        var (_, _, responses) = Rig(connected: false);
        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = "typed while down" }, ct);
        Assert.True(responses.OwesAnAnswer);

        responses.NewConnection(userSpoke: false); // live for a moment
        responses.ConnectionEnding(); // and lost before the answer owed was asked of it

        Assert.True(responses.OwesAnAnswer);
        responses.NewConnection(userSpoke: false);
        Assert.True(responses.OwesAnAnswer);
    }

    [Fact]
    public async Task AnAnswerAskedOfAConnectionThatEnds_ReplacesTheOneOwedBefore()
    {
        // The later question is the one owed: what was asked of the ending connection came after the debt it took over.
        var ct = TestContext.Current.CancellationToken;
        var (_, _, responses) = Rig();
        responses.ConnectionEnding();
        Assert.False(responses.OwesAnAnswer); // nothing was asked

        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = "asked" }, ct);
        responses.ConnectionEnding();

        Assert.True(responses.OwesAnAnswer);
        responses.NewConnection(userSpoke: true); // the user's words went to the new one: it answers them
        Assert.False(responses.OwesAnAnswer);
    }

    [Fact]
    public async Task AnAnswerMarkedHeardAtItsFirstAudio_IsOwed_WhenTheCutOfItsConnectionFindsNoWordHeard()
    {
        // The listener took the answer's first frame (the session marks it heard there), and 20 ms later the connection
        // was lost: the barge-in finds no word of it heard. It answered nothing and must be asked for again; it used to be
        // forgotten, "heard" having cleared it (chaos-tools: 3 questions in 2,800 never answered).
        var ct = TestContext.Current.CancellationToken;
        var (_, _, responses) = Rig();
        await AskAndBeginToHearAsync(responses, "resp_1", "asked", ct);

        responses.NotHeard("resp_1");
        responses.ConnectionEnding();

        Assert.True(responses.OwesAnAnswer);
        Assert.True(responses.Owes("resp_1"));
    }

    [Fact]
    public async Task AnAnswerHeard_IsNotOwedAgain_ByACutThatFindsAnotherUnheard()
    {
        // Only the answer that was marked heard comes back, and only until a newer one is asked for or the user moves on.
        var ct = TestContext.Current.CancellationToken;
        var (_, _, responses) = Rig();
        await AskAndBeginToHearAsync(responses, "resp_1", "asked", ct);

        responses.NotHeard("resp_other");
        responses.ConnectionEnding();
        Assert.False(responses.OwesAnAnswer);

        responses.NewConnection(userSpoke: false);
        await AskAndBeginToHearAsync(responses, "resp_2", "asked again", ct);
        responses.UserMovedOn();
        responses.NotHeard("resp_2");
        responses.ConnectionEnding();
        Assert.False(responses.OwesAnAnswer);
    }

    /// <summary>An answer asked for and created as <paramref name="responseId"/>, whose first audio the listener took.</summary>
    private static async Task AskAndBeginToHearAsync(ResponseCoordinator responses, string responseId, string instructions, CancellationToken ct)
    {
        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = instructions }, ct);
        responses.Created(responseId);
        responses.Heard(responseId);
    }

    private static ErrorEvent ActiveResponse(string? eventId) =>
        new() { Error = new RealtimeErrorDetails { Code = ResponseCoordinator.ActiveResponseCode, EventId = eventId, Message = "active" } };

    /// <summary>
    /// A coordinator over a fresh turn tracker, its sends recorded by a stage rig with a live connection; with
    /// <paramref name="connected"/> false, its link has no connection to send on.
    /// </summary>
    private static (StageRig Rig, TurnTracker Turns, ResponseCoordinator Responses) Rig(bool connected = true)
    {
        var rig = new StageRig();
        var turns = new TurnTracker();
        var link = connected ? null : new V2V.Voice.Session.ServerLink(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        return (rig, turns, new ResponseCoordinator(rig.Context, turns, rig.Inbox, link));
    }
}
