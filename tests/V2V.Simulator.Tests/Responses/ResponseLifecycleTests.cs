using System.Text.Json.Nodes;
using V2V.Simulator.Mcp;
using V2V.Simulator.Protocol;
using V2V.Simulator.Responses;
using V2V.Simulator.Session;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Responses;

/// <summary>The rules of a session's responses, decided without a socket or a clock.</summary>
public sealed class ResponseLifecycleTests
{
    private static readonly ResponseRequest Default = ResponseRequest.Default;

    [Fact]
    public void OneActiveResponse_ACreateMeanwhileIsRefused_AlsoWhileItsCancelIsPending_UntilItEnds()
    {
        var (responses, _) = Lifecycle(DialectProfile.Ga);
        Assert.Null(responses.RefuseCreate("e1"));
        var response = responses.Begin(Default, 0, CancellationToken.None);
        Assert.Null(responses.RequestCancel(null, "c1", out _));

        var refused = responses.RefuseCreate("e2");

        Assert.NotNull(refused);
        Assert.Equal("conversation_already_has_active_response", refused.Code);
        Assert.Equal("e2", refused.EventId);
        Assert.Contains(response.Id, refused.Message, StringComparison.Ordinal);
        responses.End(response, ResponseOutcome.Cancelled("client_cancelled"));
        Assert.Null(responses.Active);
        Assert.True(response.Finished);
        Assert.Null(responses.RefuseCreate("e3"));
    }

    [Fact]
    public void Cancel_IsAcceptedOnce_ThenPending_AndRefusedWithNothingOrAnotherResponseActive()
    {
        var (responses, _) = Lifecycle(DialectProfile.Ga);
        Assert.Equal("response_cancel_not_active", responses.RequestCancel(null, "c0", out _)?.Code);
        var response = responses.Begin(Default, 0, CancellationToken.None);

        Assert.Equal("response_cancel_not_active", responses.RequestCancel("resp_other", "c1", out var none)?.Code);
        Assert.Null(none);
        Assert.Null(responses.RequestCancel(response.Id, "c2", out var accepted));
        Assert.Same(response, accepted);
        Assert.True(response.CancelPending);
        Assert.Null(responses.RequestCancel(null, "c3", out var again));
        Assert.Null(again);
    }

    [Fact]
    public void FailResponsesWith_FailsTheResponsesAfterTheGoodOnes()
    {
        var options = new LocalRealtimeServerOptions { Faults = { FailResponsesWith = "rate_limit_exceeded", FailResponsesAfter = 2 } };
        var (responses, _) = Lifecycle(DialectProfile.Ga, options);

        var failures = Enumerable.Range(0, 4).Select(_ =>
        {
            var response = responses.Begin(Default, 0, CancellationToken.None);
            responses.End(response, ResponseOutcome.Completed());
            return response.FailWith;
        });

        Assert.Equal([null, null, "rate_limit_exceeded", "rate_limit_exceeded"], failures);
    }

    [Fact]
    public void FirstResponseDelay_DelaysOnlyTheFirstResponse()
    {
        var options = new LocalRealtimeServerOptions { Faults = { FirstResponseDelay = TimeSpan.FromSeconds(2) } };
        var (responses, _) = Lifecycle(DialectProfile.Ga, options);

        var first = responses.Begin(Default, 0, CancellationToken.None);
        responses.End(first, ResponseOutcome.Completed());
        var second = responses.Begin(Default, 0, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(2), first.StartDelay);
        Assert.Equal(TimeSpan.Zero, second.StartDelay);
    }

    [Fact]
    public void FirstResponseDelayConnections_DelaysTheFirstResponseOfOnlyThatManyConnections()
    {
        var options = new LocalRealtimeServerOptions { Faults = { FirstResponseDelay = TimeSpan.FromSeconds(2), FirstResponseDelayConnections = 2 } };

        var delays = Enumerable.Range(0, 3).Select(_ => Lifecycle(DialectProfile.Ga, options).Item1.Begin(Default, 0, CancellationToken.None).StartDelay);

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.Zero], delays);
    }

    [Fact]
    public void FirstAudioDelay_HoldsBackTheAudioOfOnlyTheFirstResponse_OfTheConnectionsCounted()
    {
        var options = new LocalRealtimeServerOptions { Faults = { FirstAudioDelay = TimeSpan.FromSeconds(3), FirstResponseDelayConnections = 1 } };
        var (first, _) = Lifecycle(DialectProfile.Ga, options);
        var (second, _) = Lifecycle(DialectProfile.Ga, options);

        var answer = first.Begin(Default, 0, CancellationToken.None);
        first.End(answer, ResponseOutcome.Completed());

        Assert.Equal(TimeSpan.FromSeconds(3), answer.AudioDelay);
        Assert.Equal(TimeSpan.Zero, answer.StartDelay);
        Assert.Equal(TimeSpan.Zero, first.Begin(Default, 0, CancellationToken.None).AudioDelay);
        Assert.Equal(TimeSpan.Zero, second.Begin(Default, 0, CancellationToken.None).AudioDelay);
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(20, 5)]
    [InlineData(0, 0)]
    public void TheCancelDelay_IsTheServicesOnTheServersClock(double speedFactor, int expectedMs)
    {
        var (responses, _) = Lifecycle(DialectProfile.Ga, new LocalRealtimeServerOptions { SpeedFactor = speedFactor });

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), responses.CancelDelay);
    }

    [Fact]
    public void EndingEarly_ClosesTheOpenAudioItem_InTheServicesOrder_AsIncomplete()
    {
        var (responses, items) = Lifecycle(DialectProfile.Ga);
        var response = responses.Begin(Default, 0, CancellationToken.None);
        var item = OpenAudioItem(items, response, transcriptSoFar: "Hello there");

        var closing = responses.End(response, ResponseOutcome.Cancelled("turn_detected"));

        Assert.Equal(
        [
            "response.output_audio.done", "response.output_audio_transcript.done", "response.content_part.done",
            "response.output_item.done", "conversation.item.done", "response.done", "rate_limits.updated",
        ], closing.Select(e => e.Type()));
        Assert.Equal("Hello there", closing[1].Str("transcript"));
        Assert.Equal("incomplete", closing[3]["item"]!.Str("status"));
        Assert.Equal("incomplete", item.Status);
        var done = closing[5]["response"]!;
        Assert.Equal("cancelled", done.Str("status"));
        Assert.Equal("turn_detected", done["status_details"]!.Str("reason"));
        Assert.Equal(item.Id, done["output"]![0]!.Str("id"));
        Assert.Null(response.OpenItem);
    }

    [Fact]
    public void EndingInBeta_HasNoItemDone_AndNoRateLimitsAfterIt()
    {
        var (responses, items) = Lifecycle(DialectProfile.Beta);
        var response = responses.Begin(Default, 0, CancellationToken.None);
        OpenAudioItem(items, response, transcriptSoFar: "Hi");

        var closing = responses.End(response, ResponseOutcome.Cancelled("client_cancelled"));

        Assert.Equal(
            ["response.audio.done", "response.audio_transcript.done", "response.content_part.done", "response.output_item.done", "response.done"],
            closing.Select(e => e.Type()));
    }

    [Fact]
    public void AFailedResponse_EndsWithNothingOpen_AndTheErrorInItsStatusDetails()
    {
        var (responses, _) = Lifecycle(DialectProfile.Ga);
        var response = responses.Begin(Default, 0, CancellationToken.None);

        var closing = responses.End(response, ResponseOutcome.Failed("insufficient_quota"));

        Assert.Equal(["response.done", "rate_limits.updated"], closing.Select(e => e.Type()));
        var done = closing[0]["response"]!;
        Assert.Equal("failed", done.Str("status"));
        Assert.Equal("insufficient_quota", done["status_details"]!["error"]!.Str("code"));
    }

    [Fact]
    public void Usage_CountsTheContextAsInput_AndWhatWasSentAsOutput()
    {
        var (responses, items, conversation) = LifecycleWithConversation(DialectProfile.Ga);
        var turn = new ConversationItem { Type = "message", Role = "user" };
        turn.Content.Add(new ContentPart { Kind = ContentKind.InputAudio, Audio = new short[2000 * TestAudio.SamplesPerMs] });
        conversation.Insert(turn, null);
        var response = responses.Begin(Default, 0, CancellationToken.None);
        OpenAudioItem(items, response, transcriptSoFar: "abcdefgh").Content[0].AudioSamples = 1000 * TestAudio.SamplesPerMs;

        var usage = responses.End(response, ResponseOutcome.Completed())[^2]["response"]!["usage"]!;

        Assert.Equal(20, usage["input_token_details"]!.Int("audio_tokens"));   // 2 s at 10 a second
        Assert.Equal(20, usage["output_token_details"]!.Int("audio_tokens"));  // 1 s at 20 a second
        Assert.Equal(2, usage["output_token_details"]!.Int("text_tokens"));    // 8 characters at 4 a token
    }

    [Fact]
    public void AnOutOfBandResponse_LeavesTheConversationAlone()
    {
        var (responses, items, conversation) = LifecycleWithConversation(DialectProfile.Ga);
        var response = responses.Begin(Default with { OutOfBand = true, InputTexts = ["Summarize."] }, 0, CancellationToken.None);
        var opened = OpenAudioItem(items, response, transcriptSoFar: "Sure");

        var closing = responses.End(response, ResponseOutcome.Completed());

        Assert.Empty(conversation.Items);
        Assert.Equal("Summarize.", Assert.Single(response.Context).Content[0].Text);
        Assert.DoesNotContain(closing, e => e.Type() == "conversation.item.done");
        Assert.False(closing.Single(e => e.Type() == "response.done")["response"]!.AsObject().ContainsKey("conversation_id"));
        Assert.Equal("incomplete", opened.Status);
    }

    [Fact]
    public void TheAssistantHasSpoken_OnceAnyResponseSentAudio()
    {
        var (responses, _) = Lifecycle(DialectProfile.Ga);
        var silent = responses.Begin(Default, 0, CancellationToken.None);
        responses.End(silent, ResponseOutcome.Completed());
        var speaking = responses.Begin(Default, 0, CancellationToken.None);
        Assert.False(responses.AssistantHasSpoken);

        speaking.AudioSamplesSent = 240;
        Assert.True(responses.AssistantHasSpoken);
        responses.End(speaking, ResponseOutcome.Completed());

        Assert.True(responses.AssistantHasSpoken);
    }

    /// <summary>Opens an audio item as the streamer does, with the transcript sent so far.</summary>
    private static ConversationItem OpenAudioItem(OutputItemEvents items, ActiveResponse response, string transcriptSoFar)
    {
        var item = new ConversationItem { Type = "message", Role = "assistant", Status = "in_progress" };
        var part = new ContentPart { Kind = ContentKind.OutputAudio, Audio = new short[4800], AudioSamples = 0, Transcript = transcriptSoFar };
        item.Content.Add(part);
        items.Open(response, 0, item, part, new JsonObject { ["type"] = "audio", ["transcript"] = string.Empty });
        return item;
    }

    private static (ResponseLifecycle Responses, OutputItemEvents Items) Lifecycle(DialectProfile profile, LocalRealtimeServerOptions? options = null)
    {
        var (responses, items, _) = LifecycleWithConversation(profile, options);
        return (responses, items);
    }

    private static (ResponseLifecycle Responses, OutputItemEvents Items, Conversation Conversation) LifecycleWithConversation(DialectProfile profile, LocalRealtimeServerOptions? options = null)
    {
        var config = new SessionConfig(profile, null, DateTimeOffset.UnixEpoch);
        var conversation = new Conversation();
        var items = new OutputItemEvents(profile, conversation);
        options ??= new LocalRealtimeServerOptions();
        return (new ResponseLifecycle(config, conversation, items, new EchoAgent(null), options, new McpServers(conversation, options.McpRequestTimeout)), items, conversation);
    }
}
