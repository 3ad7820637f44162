using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Conversation;
using V2V.Voice.Diagnostics;
using V2V.Voice.Outputs;
using V2V.Voice.Session;
using V2V.Voice.Tests.Support;
using V2V.Voice.Transcripts;
using V2V.Voice.Turns;

namespace V2V.Voice.Tests.Transcripts;

/// <summary>The agent's words and a barge-in over them, unpaced, without a server.</summary>
public sealed class SpokenTranscriptTests
{
    [Fact]
    public async Task ABargeIn_FlushesCancelsAndClosesTheTranscriptAsInterrupted_ThenHasNothingLeftToInterrupt()
    {
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig();
        var (stages, transcript, bargeIn) = Answering(rig);
        var history = stages.History;

        await transcript.AddAsync("item_1", "Hello there. How are", ct);
        var sentence = Assert.IsType<TranscriptOutput>(Assert.Single(rig.TakeOutputs()));
        Assert.False(sentence.IsFinal);

        Assert.True(bargeIn.AgentSpeaking);
        await bargeIn.RunAsync("test", ct);

        var outputs = rig.TakeOutputs();
        Assert.IsType<FlushOutput>(outputs[0]);
        var final = Assert.IsType<TranscriptOutput>(outputs[1]);
        Assert.True(final.IsFinal && final.Interrupted);
        Assert.Equal("resp_1", Assert.Single(rig.Sent<ResponseCancelEvent>()).ResponseId);
        Assert.False(transcript.IsOpen);
        Assert.Single(history.Items); // unpaced: what was handed over counts as heard

        Assert.False(bargeIn.AgentSpeaking);
        await bargeIn.RunAsync("again", ct);
        Assert.Empty(rig.TakeOutputs());
        Assert.Single(rig.Sent<ResponseCancelEvent>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnAnswerCutAfterSomeOfItWasHeard_BeforeAnyOfItsWordsCame_EndsWithAFinalTranscriptAllTheSame(bool paced)
    {
        // A renewal or a barge-in just after the answer began: its audio was heard, its words were still on their way.
        // The host must hear that answer end (a message collector waits for its end of segment; `talk` counts answers).
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig(o => o.PaceOutput = paced);
        var (stages, transcript, bargeIn) = Answering(rig);
        await stages.AudioDeltaAsync("resp_1", "item_1", 200);
        Assert.Contains(rig.TakeOutputs(most: 2), o => o is HeardAudio); // the listener heard its start

        await bargeIn.RunAsync("test", ct);

        var final = Assert.Single(rig.TakeOutputs().OfType<TranscriptOutput>());
        Assert.True(final.IsFinal && final.Interrupted);
        Assert.Equal(("item_1", string.Empty), (final.ItemId, final.Text));
        Assert.False(bargeIn.AgentSpeaking);
    }

    [Fact]
    public async Task AnAnswerWhoseFirstItemEndedWasHeard_CutBeforeTheNextItemsWordsCame_IsNotToldEndedTwice()
    {
        // An answer of two items: the first heard to its end (its final told), the response still going on, the second
        // item's words not yet here. A barge-in then cuts nothing that was not told already.
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig();
        var (stages, transcript, bargeIn) = Answering(rig);
        await stages.AudioDeltaAsync("resp_1", "item_1", 200);
        await transcript.AddAsync("item_1", "Hello.", ct);
        await transcript.CloseAsync("Hello.", interrupted: false, ct);
        Assert.Single(rig.TakeOutputs().OfType<TranscriptOutput>(), t => t.IsFinal); // all of it heard, its end told

        Assert.True(bargeIn.AgentSpeaking); // the response goes on
        await bargeIn.RunAsync("test", ct);

        Assert.DoesNotContain(rig.TakeOutputs(), o => o is TranscriptOutput);
    }

    [Fact]
    public async Task AnAnswerCutBeforeAnyOfItWasHeard_IsNotToldAsEnded()
    {
        // Nothing of it reached the listener: it answered nothing (its turn goes to a new connection), and no host was
        // told it began.
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig(o => o.PaceOutput = true);
        var (stages, transcript, bargeIn) = Answering(rig);

        await bargeIn.RunAsync("test", ct);

        Assert.DoesNotContain(rig.TakeOutputs(), o => o is TranscriptOutput);
    }

    [Fact]
    public async Task AWholeAnswerCutInItsOnlySentence_IsToldAndKeptAsFarAsItsWordsWereHeard()
    {
        // The service's usual case: the answer's text and audio are all here before much of it is played, and its one
        // sentence is told only once the audio before it was heard (here: its end). Cut late in it, the words heard go
        // out with the interrupted final and into the history, to the last whole word; the rest is not claimed.
        const string text = "I heard two seconds of your speech, and here it is back.";
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig(o => o.PaceOutput = true);
        var (stages, transcript, bargeIn) = Answering(rig);
        await stages.AudioDeltaAsync("resp_1", "item_1", 1000);
        await transcript.AddAsync("item_1", text[..20], ct);
        await stages.AudioDeltaAsync("resp_1", "item_1", 1000);
        await transcript.AddAsync("item_1", text[20..], ct);
        stages.Turns.OnAudioDone("item_1");
        await transcript.CloseAsync(text, interrupted: false, ct);

        // The listener takes the voice as a transport would, until about three quarters of it were played.
        var heard = await ListenAsync(stages, rig, untilMs: 1500);
        var playedMs = heard.OfType<HeardAudio>().Max(a => a.ItemEndMs);
        Assert.DoesNotContain(heard, o => o is TranscriptOutput); // the sentence waits behind the audio before it

        await bargeIn.RunAsync("test", ct);

        var final = Assert.Single(rig.TakeOutputs().OfType<TranscriptOutput>());
        Assert.True(final.IsFinal && final.Interrupted);
        Assert.StartsWith(final.Text, text, StringComparison.Ordinal);
        Assert.Equal(' ', text[final.Text.Length]); // whole words only
        var share = text.Length * playedMs / 2000;
        Assert.InRange(final.Text.Length, share - "seconds,".Length, share); // as far as the audio went, less a word at most
        var kept = Assert.Single(stages.History.Items);
        Assert.Equal(final.Text, kept.Content![0].Text);
    }

    [Fact]
    public async Task AnAnswerCutWhileItsAudioIsStillComing_ClaimsOnlyTheSentencesTold()
    {
        // With part of the audio here, its length is unknown and so is how far into the words the listener got.
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig(o => o.PaceOutput = true);
        var (stages, transcript, bargeIn) = Answering(rig);
        await stages.AudioDeltaAsync("resp_1", "item_1", 300);
        await transcript.AddAsync("item_1", "I heard two seconds of your speech, and", ct);
        await ListenAsync(stages, rig, untilMs: 250);

        await bargeIn.RunAsync("test", ct);

        var final = Assert.Single(rig.TakeOutputs().OfType<TranscriptOutput>());
        Assert.True(final.IsFinal && final.Interrupted);
        Assert.Equal(string.Empty, final.Text);
        Assert.Empty(stages.History.Items);
    }

    [Fact]
    public async Task AnAnswerCutWhileItsAudioIsStillComing_AfterOneWasHeardWhole_ClaimsTheWordsThePaceOfTheVoiceReached()
    {
        // The service's usual barge-in: early in a long answer, its words all here, its audio still coming. Its length is
        // unknown, but the pace of the voice is not: the first answer, heard to its end, said it. The words heard at that
        // pace (less a margin, to the last whole word) go out with the interrupted final and into the history.
        const string first = "I heard two seconds of your speech, and here it is back.";
        const string second = "The weather in Paris is mild today, with sun in the afternoon and a light wind.";
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig(o => o.PaceOutput = true);
        var (stages, transcript, _) = Answering(rig);
        await stages.AudioDeltaAsync("resp_1", "item_1", 2000);
        await transcript.AddAsync("item_1", first, ct);
        stages.Turns.OnAudioDone("item_1");
        await transcript.CloseAsync(first, interrupted: false, ct);
        var told = await ListenAsync(stages, rig, "item_1", untilMs: 2000);
        await ListenForAsync(stages, rig, told, o => o is TranscriptOutput { IsFinal: true, ItemId: "item_1" }); // its final, behind its audio
        transcript.TakeHeardTurns(); // as the session does after each event: the first answer heard whole
        Assert.Equal(first, Assert.Single(stages.History.Items).Content![0].Text);

        var (final, playedMs) = await CutASecondAnswerWhileItsAudioIsStillComingAsync(stages, rig, "resp_1", second);

        AssertTheWordsThePaceReached(final, second, playedMs, charsPerMs: first.Length / 2000.0, stages.History);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnAnswerCutWhileItsAudioIsStillComing_AfterOneCutWhoseTextAndAudioHadAllCome_ClaimsTheWordsThePaceOfTheVoiceReached(bool firstTranscriptFinished)
    {
        // The first answer of a session is cut too (a greeting talked over): none was heard to its end. Its text and audio
        // had all come (the service sends them faster than they are played), and they say the pace of the voice all the
        // same, so the second answer, cut while its audio is still coming, keeps the words that pace reached. A transcript
        // the service did not finish (a failed response closes it early) says nothing of the pace: nothing is claimed.
        const string first = "I heard two seconds of your speech, and here it is back.";
        const string second = "The weather in Paris is mild today, with sun in the afternoon and a light wind.";
        var ct = TestContext.Current.CancellationToken;
        var rig = new StageRig(o => o.PaceOutput = true);
        var (stages, transcript, bargeIn) = Answering(rig);
        await stages.AudioDeltaAsync("resp_1", "item_1", 2000);
        await transcript.AddAsync("item_1", first, ct);
        stages.Turns.OnAudioDone("item_1");
        await transcript.CloseAsync(first, interrupted: !firstTranscriptFinished, ct);
        await ListenAsync(stages, rig, "item_1", untilMs: 500);
        await bargeIn.RunAsync("first", ct);
        var firstFinal = Assert.Single(rig.TakeOutputs().OfType<TranscriptOutput>());
        Assert.True(firstFinal.Interrupted && firstFinal.Text.Length < first.Length); // not heard to its end

        stages.Turns.OnResponseCreated("resp_2"); // the next answer
        var (final, playedMs) = await CutASecondAnswerWhileItsAudioIsStillComingAsync(stages, rig, "resp_2", second);

        if (!firstTranscriptFinished)
        {
            Assert.Equal(string.Empty, final.Text);
            return;
        }
        AssertTheWordsThePaceReached(final, second, playedMs, charsPerMs: first.Length / 2000.0, stages.History);
    }

    /// <summary>
    /// The answer <paramref name="text"/> (item_2 of <paramref name="responseId"/>), its words all here and 1.5 s of its
    /// audio (of about 2.8 s at the pace of the tests' first answer), cut by the user about 1 s into it: its final.
    /// </summary>
    private static async Task<(TranscriptOutput Final, double PlayedMs)> CutASecondAnswerWhileItsAudioIsStillComingAsync(AnswerStages stages, StageRig rig, string responseId, string text)
    {
        var ct = TestContext.Current.CancellationToken;
        await stages.AudioDeltaAsync(responseId, "item_2", 1500);
        await stages.Transcript.AddAsync("item_2", text, ct);
        await stages.Transcript.CloseAsync(text, interrupted: false, ct);
        var heard = await ListenAsync(stages, rig, "item_2", untilMs: 1000);
        var playedMs = heard.OfType<HeardAudio>().Where(a => a.ItemId == "item_2").Max(a => a.ItemEndMs);

        await stages.BargeIn.RunAsync("the user spoke", ct);

        var final = Assert.Single(rig.TakeOutputs().OfType<TranscriptOutput>());
        Assert.True(final.IsFinal && final.Interrupted);
        return (final, playedMs);
    }

    /// <summary>The cut answer's final and the history hold its words as far as the pace reached, less the margin, to a whole word.</summary>
    private static void AssertTheWordsThePaceReached(TranscriptOutput final, string text, double playedMs, double charsPerMs, ConversationHistory history)
    {
        Assert.StartsWith(final.Text, text, StringComparison.Ordinal);
        Assert.Equal(' ', text[final.Text.Length]); // whole words only
        var atPace = playedMs * charsPerMs * SpeakingRate.Margin;
        Assert.InRange(final.Text.Length, atPace - "afternoon ".Length, atPace); // as far as the pace reached, less a word at most
        Assert.Equal(final.Text, history.Items[^1].Content![0].Text);
    }

    /// <summary>
    /// The voice paced as a session paces it, taken a frame at a time as a transport takes it, until the listener has
    /// heard <paramref name="untilMs"/> into the item (a generous guard: a busy machine only makes it slower).
    /// </summary>
    private static Task<List<VoiceSessionEvent>> ListenAsync(AnswerStages stages, StageRig rig, double untilMs) => ListenAsync(stages, rig, null, untilMs);

    /// <summary>As above, until <paramref name="untilMs"/> into <paramref name="itemId"/> (any item when null).</summary>
    private static async Task<List<VoiceSessionEvent>> ListenAsync(AnswerStages stages, StageRig rig, string? itemId, double untilMs)
    {
        var heard = new List<VoiceSessionEvent>();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        stages.Voice.Pace(true);
        try
        {
            while (!heard.OfType<HeardAudio>().Any(a => (itemId is null || a.ItemId == itemId) && a.ItemEndMs >= untilMs))
            {
                heard.AddRange(rig.TakeOutputs(most: 1));
                await Task.Delay(2, guard.Token);
            }
        }
        finally
        {
            stages.Voice.Pace(false);
        }
        return heard;
    }

    /// <summary>The voice paced until <paramref name="seen"/> holds an output that <paramref name="until"/> picks.</summary>
    private static async Task ListenForAsync(AnswerStages stages, StageRig rig, List<VoiceSessionEvent> seen, Func<VoiceSessionEvent, bool> until)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        stages.Voice.Pace(true);
        try
        {
            while (!seen.Any(until))
            {
                seen.AddRange(rig.TakeOutputs(most: 1));
                await Task.Delay(2, guard.Token);
            }
        }
        finally
        {
            stages.Voice.Pace(false);
        }
    }

    /// <summary>The answer's stages on <paramref name="rig"/>, with the response <c>resp_1</c> under way.</summary>
    private static (AnswerStages Stages, SpokenTranscript Transcript, BargeIn BargeIn) Answering(StageRig rig)
    {
        var stages = new AnswerStages(rig);
        stages.Turns.OnResponseCreated("resp_1");
        return (stages, stages.Transcript, stages.BargeIn);
    }
}
