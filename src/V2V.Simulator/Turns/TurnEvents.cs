using System.Text.Json.Nodes;
using V2V.Simulator.Audio;

namespace V2V.Simulator.Turns;

/// <summary>Audio taken out of the input buffer as one user turn: the item it becomes and its samples.</summary>
internal sealed record TurnCommit(string ItemId, short[] Audio);

/// <summary>What turn detection saw in appended audio, in session time (24 kHz samples).</summary>
internal abstract record TurnEvent
{
    public abstract JsonObject ToEvent();
}

/// <summary>Speech began (at its onset minus the prefix padding); <see cref="ItemId"/> names the item it will become.</summary>
internal sealed record SpeechStarted(long AudioStartSample, string ItemId) : TurnEvent
{
    public override JsonObject ToEvent() => new()
    {
        ["type"] = "input_audio_buffer.speech_started",
        ["audio_start_ms"] = Pcm.Ms(AudioStartSample),
        ["item_id"] = ItemId,
    };
}

/// <summary>Speech ended (after the silence duration) and its audio was taken out of the buffer as <see cref="Commit"/>.</summary>
internal sealed record SpeechStopped(long AudioEndSample, TurnCommit Commit) : TurnEvent
{
    public override JsonObject ToEvent() => new()
    {
        ["type"] = "input_audio_buffer.speech_stopped",
        ["audio_end_ms"] = Pcm.Ms(AudioEndSample),
        ["item_id"] = Commit.ItemId,
    };
}

/// <summary>No speech for <c>idle_timeout_ms</c>: the silence from <see cref="AudioStartSample"/> on was taken out as <see cref="Commit"/>.</summary>
internal sealed record IdleTimedOut(long AudioStartSample, long AudioEndSample, TurnCommit Commit) : TurnEvent
{
    public override JsonObject ToEvent() => new()
    {
        ["type"] = "input_audio_buffer.timeout_triggered",
        ["audio_start_ms"] = Pcm.Ms(AudioStartSample),
        ["audio_end_ms"] = Pcm.Ms(AudioEndSample),
        ["item_id"] = Commit.ItemId,
    };
}
