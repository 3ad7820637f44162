using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>The user speaking over the agent: flush at once, cancel, truncate at what was actually played.</summary>
public sealed class BargeInTests
{
    private const string Question = "Tell me a long story about the sea.";

    [Fact]
    public async Task BargeIn_FlushesAndTruncatesAtThePlayedPosition_TheServerCancelsTheAnswer_AndLateDeltasAreDropped()
    {
        // A server at real-time pace (a slow answer, as a long one from the service is) and paced output: the answer is
        // still being generated when the user speaks again, so it must be cancelled too. The server's turn detection
        // does that itself as it reports the speech (interrupt_response): a response.cancel from this side would come
        // after it and be refused (response_cancel_not_active). The service's usual case, where the answer has all
        // arrived, is the test below.
        await using var harness = await SessionHarness.StartAsync(o => o.PaceOutput = true, s =>
        {
            s.SpeedFactor = 1;
            s.Pace = V2V.Simulator.ResponsePace.RealTime;
        });
        await harness.SendAsync(Speech.Pcm16(Question, 16000, 1), 16000, 1);
        var firstItem = ((HeardAudio)(await harness.WaitForAsync(o => o.OfType<HeardAudio>().Count() >= 60, "600 ms of the answer played"))
            .First(o => o is HeardAudio)).ItemId;

        await harness.SendAsync(Speech.Pcm16("Stop, stop.", 16000, 1, leadingSilenceMs: 0), 16000, 1);
        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Count(t => t.IsFinal && t.Role == TranscriptRole.Assistant) >= 2,
            "the interrupted turn closed and the second answer finished");

        var flushAt = await AssertFlushedThenTruncatedAtThePlayedPositionAsync(harness, outputs, firstItem);

        Assert.Empty(harness.Sent("response.cancel"));
        Assert.Contains("response.done", harness.ReceivedEvents); // the server's own cancel, awaited before the next answer
        Assert.DoesNotContain("error", harness.ReceivedEvents);

        // Nothing of the interrupted item comes after the flush: late deltas were dropped.
        Assert.DoesNotContain(outputs.Skip(flushAt).OfType<HeardAudio>(), a => a.ItemId == firstItem);
        var interrupted = outputs.OfType<TranscriptOutput>().First(t => t.IsFinal && t.Role == TranscriptRole.Assistant);
        Assert.True(interrupted.Interrupted);
        var second = outputs.OfType<TranscriptOutput>().Last(t => t.IsFinal && t.Role == TranscriptRole.Assistant);
        Assert.False(second.Interrupted);
        Assert.Contains(outputs.Skip(flushAt).OfType<HeardAudio>(), a => a.ItemId != firstItem);
    }

    [Fact]
    public async Task BargeIn_AfterTheWholeAnswerArrived_FlushesAndTruncatesAtThePlayedPosition_WithoutACancel()
    {
        // The service's usual case: the answer is all here (response.done) long before it is heard. The barge-in can
        // only drop what is queued and truncate; a cancel would be refused (response_cancel_not_active). The answer is
        // generated at once, so that even on a loaded machine it has all arrived before the user speaks again.
        await using var harness = await SessionHarness.StartAsync(o => o.PaceOutput = true, s =>
        {
            s.SpeedFactor = 1;
            s.GenerationSpeed = 1000;
        });
        await harness.SendAsync(Speech.Pcm16(Question, 16000, 1), 16000, 1);
        var firstItem = ((HeardAudio)(await harness.WaitForAsync(o => o.OfType<HeardAudio>().Count() >= 60, "600 ms of the answer played"))
            .First(o => o is HeardAudio)).ItemId;
        // At 4x the answer is whole about when 600 ms of it have played: wait for its response.done, or the barge-in
        // may come first, and then a cancel is right.
        await harness.WaitForReceivedAsync("response.done");

        await harness.SendAsync(Speech.Pcm16("Stop, stop.", 16000, 1, leadingSilenceMs: 0), 16000, 1);
        var outputs = await harness.WaitForAsync(o => o.OfType<HeardAudio>().Any(a => a.ItemId != firstItem), "the second answer playing");

        var flushAt = await AssertFlushedThenTruncatedAtThePlayedPositionAsync(harness, outputs, firstItem);
        Assert.Empty(harness.Sent("response.cancel"));
        Assert.DoesNotContain(outputs.Skip(flushAt).OfType<HeardAudio>(), a => a.ItemId == firstItem);

        // The whole transcript arrived seconds before it could be heard; what the listener got is what was played:
        // the answer's one sentence was cut before its end, so the words of it heard (whole words, its end not among
        // them), and the turn is final and interrupted.
        var first = outputs.OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant && t.ItemId == firstItem).ToList();
        var closing = Assert.Single(first, t => t.IsFinal);
        Assert.True(closing.Interrupted);
        Assert.Matches(HeardWordsOfTheAnswer, string.Concat(first.Select(t => t.Text)));
        Assert.True(outputs.ToList().IndexOf(closing) > flushAt);
    }

    [Fact]
    public async Task History_KeepsOnlyWhatWasHeard_OfAnAnswerCutInItsOnlySentence_ItsWordsUpToTheCut()
    {
        // What a reconnect would replay: the service's text of an answer arrives whole, seconds before it is heard
        // (generated at once here, and all of it received before the user speaks again, even on a busy machine).
        await using var harness = await SessionHarness.StartAsync(o => o.PaceOutput = true, s =>
        {
            s.SpeedFactor = 1;
            s.GenerationSpeed = 1000;
        });
        await harness.SendAsync(Speech.Pcm16(Question, 16000, 1), 16000, 1);
        var firstItem = ((HeardAudio)(await harness.WaitForAsync(o => o.OfType<HeardAudio>().Count() >= 60, "600 ms of the answer played"))
            .First(o => o is HeardAudio)).ItemId;
        await harness.WaitForReceivedAsync("response.done");
        await harness.SendAsync(Speech.Pcm16("Stop, stop.", 16000, 1, leadingSilenceMs: 0), 16000, 1);
        await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal && !t.Interrupted && t.ItemId != firstItem),
            "the second answer heard to its end", guardSeconds: 60);

        var history = await harness.Session.HistorySnapshotAsync(TestContext.Current.CancellationToken);

        var assistant = history.Where(i => i.Role == "assistant").Select(i => i.Content![0].Text).ToList();
        Assert.Equal(2, assistant.Count);
        Assert.Matches(HeardWordsOfTheAnswer, assistant[0]); // the first: its words up to the cut, not its end
        Assert.Matches(@"^I heard \d+\.\d\d seconds of your speech, and here it is back\.$", assistant[1]);
    }

    // The local server's answer ("I heard 2.53 seconds of your speech, and here it is back.") cut after its first
    // words: those words, whole, without its end.
    private const string HeardWordsOfTheAnswer = @"^I heard( (?!back\.)\S+)*$";

    [Fact]
    public async Task SpeechWhileTheAgentIsSilent_InterruptsNothing()
    {
        await using var harness = await SessionHarness.StartAsync();
        await harness.SendAsync(Speech.Pcm16(Question, 16000, 1), 16000, 1);
        await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the first answer");

        await harness.SendAsync(Speech.Pcm16("And another thing.", 16000, 1), 16000, 1);
        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Count(t => t.IsFinal && t.Role == TranscriptRole.Assistant) >= 2, "the second answer");

        Assert.DoesNotContain(outputs, o => o is FlushOutput);
        Assert.Empty(harness.Sent("conversation.item.truncate"));
        Assert.Empty(harness.Sent("response.cancel"));
    }

    [Fact]
    public async Task BargeIn_ItemsOfTheAnswerThatComeAfterTheCancel_AreTruncatedAtZero_OnceTheAnswerIsDone()
    {
        // A barge-in of this side's (push-to-talk here; the local VAD alike) cancels the answer, but the service goes on
        // until the cancel takes effect, or finishes the answer first: the rest of a long answer, in items of their own,
        // comes after the barge-in. They are dropped unheard, and the service's conversation must not keep them whole (the
        // model would go on as if the user had heard them). Here the answer is split into items of 1 s, sent in real time,
        // and the cancel takes 3 s to take effect, so the answer is finished before it does.
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.PaceOutput = true;
            o.TurnMode = TurnMode.Manual;
        }, s =>
        {
            s.SpeedFactor = 1;
            s.Pace = V2V.Simulator.ResponsePace.RealTime;
            s.AudioLeadMs = 200;
            s.SplitAnswersLongerThanMs = 1000;
            s.CancelDelay = TimeSpan.FromSeconds(3);
        });
        await harness.SendAsync(Speech.Pcm16(Question, 16000, 1), 16000, 1);
        Assert.True(await harness.Session.EndTurnAsync(TestContext.Current.CancellationToken));
        var firstItem = ((HeardAudio)(await harness.WaitForAsync(o => o.OfType<HeardAudio>().Count() >= 30, "300 ms of the answer played"))
            .First(o => o is HeardAudio)).ItemId;

        await harness.Session.InterruptAsync(TestContext.Current.CancellationToken);
        await harness.WaitForReceivedAsync("response.done");
        var items = harness.ReceivedEvents.Count(e => e == "response.output_item.added");
        Assert.True(items >= 3, $"the answer came in {items} item(s)");
        var truncates = await harness.WaitForSentAsync("conversation.item.truncate", t => t.Count >= items, $"a truncate of each of the {items} items");

        // The one heard, where it was cut; every other one at 0, each once; the service took them all.
        var byItem = truncates.ToDictionary(t => t.GetProperty("item_id").GetString()!, t => t.GetProperty("audio_end_ms").GetInt32());
        Assert.Equal(items, byItem.Count);
        Assert.InRange(byItem[firstItem], 1, 2000);
        Assert.All(byItem.Where(t => t.Key != firstItem), t => Assert.Equal(0, t.Value));
        Assert.DoesNotContain(harness.Outputs.OfType<HeardAudio>(), a => a.ItemId != firstItem);
        await harness.WaitForAsync(_ => harness.ReceivedEvents.Count(e => e == "conversation.item.truncated") == items, "the service confirming each truncate");
        Assert.DoesNotContain("error", harness.ReceivedEvents);
    }

    /// <summary>
    /// A flush of <paramref name="item"/> came out, and one truncate of it at what the listener heard (the frames given
    /// out before the flush, to within a frame). Returns where the flush is among the outputs.
    /// </summary>
    private static async Task<int> AssertFlushedThenTruncatedAtThePlayedPositionAsync(SessionHarness harness, IReadOnlyList<VoiceSessionEvent> outputs, string item)
    {
        var flushAt = outputs.ToList().FindIndex(o => o is FlushOutput);
        Assert.True(flushAt > 0, "a flush came out");
        Assert.Equal(item, ((FlushOutput)outputs[flushAt]).InterruptedItemId);
        var playedMs = outputs.Take(flushAt).OfType<HeardAudio>().Where(a => a.ItemId == item).Sum(a => a.Length / 48.0);
        // The session sends the truncate after it gives out the flush; the server's record of it may come a moment after
        // what the test waited for (the next answer can play first on a busy machine).
        await harness.WaitForSentAsync("conversation.item.truncate");
        var truncate = Assert.Single(harness.Sent("conversation.item.truncate"));
        Assert.Equal(item, truncate.GetProperty("item_id").GetString());
        Assert.InRange(truncate.GetProperty("audio_end_ms").GetInt32(), playedMs - 10, playedMs + 10);
        return flushAt;
    }
}
