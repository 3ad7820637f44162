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
        var turns = new TurnTracker();
        var history = new ConversationHistory(maxTurns: 10);
        var firstAudio = new FirstAudioTimer();
        var voice = new AgentVoice(rig.Context, turns, firstAudio, dump: null, rig.Handoff);
        var transcript = new SpokenTranscript(rig.Context, voice, history);
        var bargeIn = new BargeIn(rig.Context, turns, voice, transcript, firstAudio);
        turns.OnResponseCreated("resp_1");

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
        var turns = new TurnTracker();
        var firstAudio = new FirstAudioTimer();
        var voice = new AgentVoice(rig.Context, turns, firstAudio, dump: null, rig.Handoff);
        var transcript = new SpokenTranscript(rig.Context, voice, new ConversationHistory(maxTurns: 10));
        var bargeIn = new BargeIn(rig.Context, turns, voice, transcript, firstAudio);
        turns.OnResponseCreated("resp_1");
        using (var delta = (ResponseOutputAudioDeltaEvent)new RealtimeEventParser(RealtimeDialect.GA).Parse(AudioDelta("resp_1", "item_1", 200)))
        {
            await voice.OnDeltaAsync(delta, ct);
        }
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
        var turns = new TurnTracker();
        var firstAudio = new FirstAudioTimer();
        var voice = new AgentVoice(rig.Context, turns, firstAudio, dump: null, rig.Handoff);
        var transcript = new SpokenTranscript(rig.Context, voice, new ConversationHistory(maxTurns: 10));
        var bargeIn = new BargeIn(rig.Context, turns, voice, transcript, firstAudio);
        turns.OnResponseCreated("resp_1");
        using (var delta = (ResponseOutputAudioDeltaEvent)new RealtimeEventParser(RealtimeDialect.GA).Parse(AudioDelta("resp_1", "item_1", 200)))
        {
            await voice.OnDeltaAsync(delta, ct);
        }
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
        var turns = new TurnTracker();
        var firstAudio = new FirstAudioTimer();
        var voice = new AgentVoice(rig.Context, turns, firstAudio, dump: null, rig.Handoff);
        var transcript = new SpokenTranscript(rig.Context, voice, new ConversationHistory(maxTurns: 10));
        var bargeIn = new BargeIn(rig.Context, turns, voice, transcript, firstAudio);
        turns.OnResponseCreated("resp_1");

        await bargeIn.RunAsync("test", ct);

        Assert.DoesNotContain(rig.TakeOutputs(), o => o is TranscriptOutput);
    }

    private static byte[] AudioDelta(string responseId, string itemId, int ms) => System.Text.Encoding.UTF8.GetBytes(
        $$"""{"type":"response.output_audio.delta","event_id":"event_1","response_id":"{{responseId}}","item_id":"{{itemId}}","output_index":0,"content_index":0,"delta":"{{Convert.ToBase64String(new byte[ms * 48])}}"}""");
}
