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

    /// <summary>The answer's stages on <paramref name="rig"/>, with the response <c>resp_1</c> under way.</summary>
    private static (AnswerStages Stages, SpokenTranscript Transcript, BargeIn BargeIn) Answering(StageRig rig)
    {
        var stages = new AnswerStages(rig);
        stages.Turns.OnResponseCreated("resp_1");
        return (stages, stages.Transcript, stages.BargeIn);
    }
}
