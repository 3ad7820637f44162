using V2V.Realtime.Protocol.ClientEvents;
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
}
