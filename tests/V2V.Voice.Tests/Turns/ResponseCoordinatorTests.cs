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
        var rig = new StageRig();
        var turns = new TurnTracker();
        var responses = new ResponseCoordinator(rig.Context, turns, rig.Inbox);
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
        var rig = new StageRig();
        var turns = new TurnTracker();
        var responses = new ResponseCoordinator(rig.Context, turns, rig.Inbox);

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
        var rig = new StageRig();
        var turns = new TurnTracker();
        var responses = new ResponseCoordinator(rig.Context, turns, rig.Inbox);
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
        var rig = new StageRig();
        var turns = new TurnTracker();
        var responses = new ResponseCoordinator(rig.Context, turns, rig.Inbox);
        await responses.RequestAsync(null, ct);

        Assert.False(await responses.OnRefusedAsync(ActiveResponse("evt_someone_else"), ct));
        Assert.False(await responses.OnRefusedAsync(new ErrorEvent { Error = new RealtimeErrorDetails { Code = "invalid_value", EventId = rig.Sent<ResponseCreateEvent>()[0].EventId } }, ct));
        Assert.True(turns.ResponseRequested);
    }

    private static ErrorEvent ActiveResponse(string? eventId) =>
        new() { Error = new RealtimeErrorDetails { Code = ResponseCoordinator.ActiveResponseCode, EventId = eventId, Message = "active" } };
}
