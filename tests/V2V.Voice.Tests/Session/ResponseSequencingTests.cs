using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// The service keeps a cancelled response active until its response.done (a short while after the cancel): a new
/// response asked for meanwhile is refused. The session waits for that response.done, so nothing is lost.
/// </summary>
public sealed class ResponseSequencingTests
{
    [Fact]
    public async Task TextDuringAnAnswerStillBeingGenerated_IsAnswered_NotLostToAnActiveResponse()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.PaceOutput = true, s =>
        {
            s.SpeedFactor = 1;
            s.Pace = V2V.Simulator.ResponsePace.RealTime; // the answer is still being generated when the text comes
            s.CancelDelay = TimeSpan.FromMilliseconds(300);
        });
        await harness.SendAsync(Speech.Pcm16("Tell me a long story about the sea and the ships on it.", 16000, 1), 16000, 1);
        await harness.WaitForAsync(o => o.OfType<HeardAudio>().Count() >= 20, "the answer playing");

        await harness.Session.SendTextAsync("what time is it", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(
            o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal && !t.Interrupted),
            "the answer to the text", guardSeconds: 60);

        Assert.DoesNotContain(outputs, o => o is ErrorOutput { Code: "conversation_already_has_active_response" });
        Assert.Single(harness.Sent("response.cancel"));
        var said = string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant && !t.Interrupted).Select(t => t.Text));
        Assert.Contains("You said: what time is it", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextTypedWhileTheAnswerToTheLastIsStillBeingAskedFor_CancelsThatAnswerAsItComes_AndOnlyTheNewOneIsHeard()
    {
        // The service holds the first answer back before its response.created: the second text comes while the first's
        // create is on its way, with nothing yet to cut. A create sent behind it would be refused; waiting for the first
        // answer's end would have it talk first, answering what the user moved on from.
        await using var harness = await SessionHarness.StartAsync(o => o.PaceOutput = true, s =>
        {
            s.Faults.FirstResponseDelay = TimeSpan.FromSeconds(3);
            s.CancelDelay = TimeSpan.FromSeconds(1); // some of the first answer surely comes before its cancel takes effect
        });
        var ct = TestContext.Current.CancellationToken;

        await harness.Session.SendTextAsync("tell me about the first thing", ct);
        await harness.Session.SendTextAsync("what time is it", ct);
        var outputs = await harness.WaitForAsync(
            o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal && !t.Interrupted),
            "an answer heard whole", guardSeconds: 60);

        var said = string.Concat(outputs.OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant).Select(t => t.Text));
        Assert.Contains("what time is it", said, StringComparison.Ordinal);
        Assert.DoesNotContain("first thing", said, StringComparison.Ordinal);
        Assert.DoesNotContain(outputs, o => o is ErrorOutput);
        Assert.DoesNotContain("error", harness.ReceivedEvents);
        Assert.Equal(2, harness.Sent("response.create").Count);
        var cancel = Assert.Single(harness.Sent("response.cancel"));
        Assert.StartsWith("resp_", cancel.GetProperty("response_id").GetString(), StringComparison.Ordinal);
        // What the service made of the cancelled answer before the cancel took effect was never heard: the service's
        // conversation keeps none of it.
        Assert.Contains(harness.Sent("conversation.item.truncate"), t => t.GetProperty("audio_end_ms").GetInt32() == 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateRefusedForAStillActiveResponse_IsAskedForAgainAfterItsDone_AndAnswered(bool errorNamesTheCreate)
    {
        // The cancelled answer stays active on the service far longer than the session waits for its response.done
        // (3 s): the session then asks anyway, the service refuses (naming the create's event id, or, as it sometimes
        // does, no event), and the session asks once more after that answer's response.done.
        await using var harness = await SessionHarness.StartAsync(o => o.PaceOutput = true, s =>
        {
            s.SpeedFactor = 1;
            s.Pace = V2V.Simulator.ResponsePace.RealTime;
            s.CancelDelay = TimeSpan.FromSeconds(10);
            s.Faults.ErrorsNameNoEvent = !errorNamesTheCreate;
        });
        // The agent echoes the text: an answer of some twenty seconds, still being generated when the cancel ends it.
        var story = string.Join(' ', Enumerable.Repeat("Tell me a long story about the sea and the ships that sail on it at night.", 4));
        await harness.Session.SendTextAsync(story, TestContext.Current.CancellationToken);
        await harness.WaitForAsync(o => o.OfType<HeardAudio>().Count() >= 20, "the answer playing");

        await harness.Session.SendTextAsync("what time is it", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(
            o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal && !t.Interrupted && t.Text.Contains("what time is it", StringComparison.Ordinal)),
            "the answer to the text", guardSeconds: 90);

        Assert.DoesNotContain(outputs, o => o is ErrorOutput);
        var creates = harness.Sent("response.create");
        Assert.Equal(3, creates.Count); // the story's, the refused one, the retry
        Assert.Equal(2, harness.ReceivedEvents.Count(e => e == "response.created")); // so one create was refused: the path under test ran
        Assert.Equal(3, creates.Select(c => c.GetProperty("event_id").GetString()).Distinct().Count());
    }
}
