using System.Text;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Conversation;
using V2V.Voice.Diagnostics;
using V2V.Voice.Session;
using V2V.Voice.Transcripts;
using V2V.Voice.Turns;

namespace V2V.Voice.Tests.Support;

/// <summary>
/// The stages an answer goes through on a <see cref="StageRig"/>, wired as a session wires them, without a server or
/// a connection: its turns, voice, words, history and the barge-in over them.
/// </summary>
internal sealed class AnswerStages
{
    // One per rig: a parser keeps the ids it has read, and tests run in parallel.
    private readonly RealtimeEventParser _parser = new(RealtimeDialect.GA);

    public AnswerStages(StageRig rig)
    {
        Voice = new AgentVoice(rig.Context, Turns, FirstAudio, dump: null, rig.Handoff);
        Transcript = new SpokenTranscript(rig.Context, Voice, History, Turns.WholeMs);
        BargeIn = new BargeIn(rig.Context, Turns, Voice, Transcript, FirstAudio);
    }

    public TurnTracker Turns { get; } = new();

    public FirstAudioTimer FirstAudio { get; } = new();

    public ConversationHistory History { get; } = new(maxTurns: 10);

    public AgentVoice Voice { get; }

    public SpokenTranscript Transcript { get; }

    public BargeIn BargeIn { get; }

    /// <summary>A delta of <paramref name="ms"/> of silent 24 kHz audio of the item, as the service sends it, given to the voice.</summary>
    public async Task AudioDeltaAsync(string responseId, string itemId, int ms)
    {
        var json = Encoding.UTF8.GetBytes(
            $$"""{"type":"response.output_audio.delta","event_id":"event_1","response_id":"{{responseId}}","item_id":"{{itemId}}","output_index":0,"content_index":0,"delta":"{{Convert.ToBase64String(new byte[ms * 48])}}"}""");
        using var delta = (ResponseOutputAudioDeltaEvent)_parser.Parse(json);
        await Voice.OnDeltaAsync(delta, TestContext.Current.CancellationToken);
    }
}
