using System.Diagnostics.CodeAnalysis;
using V2V.Frames;

namespace V2V.Voice.Outputs;

/// <summary>
/// One thing the session gives out, in order: a frame of the agent's voice (<see cref="Audio"/>) or an event
/// (<see cref="Event"/>: a transcript, a flush, a state change, an error ...). A value, not an object, so the voice
/// reaches the reader without an allocation per frame.
/// </summary>
/// <remarks>
/// The reader owns the audio frame: hand it on (it becomes, say, a TEN audio frame's samples) or dispose it, which
/// gives its pooled buffer back; after that every copy of the frame throws <see cref="ObjectDisposedException"/> when
/// read, so a reference kept too long fails loudly instead of showing a later frame's samples. A frame never
/// disposed is collected.
/// <code>
/// await foreach (var output in session.ReadOutputsAsync(ct))
/// {
///     if (output.TryGetAudio(out var frame))
///     {
///         using (frame) { Play(frame.Span, frame.SampleRate); }
///         continue;
///     }
///     switch (output.Event) { case TranscriptOutput t: ...; case FlushOutput: ...; }
/// }
/// </code>
/// </remarks>
public readonly struct VoiceSessionOutput
{
    private VoiceSessionOutput(PcmFrame audio, VoiceSessionEvent? sessionEvent)
    {
        Audio = audio;
        Event = sessionEvent;
    }

    /// <summary>
    /// A frame of the agent's voice (pcm16 mono at the configured output rate, released in real time when paced), with
    /// the conversation item it is of and where in the item it ends; <see cref="PcmFrame.IsNone"/> for an event.
    /// </summary>
    public PcmFrame Audio { get; }

    /// <summary>The event, or null for audio.</summary>
    public VoiceSessionEvent? Event { get; }

    /// <summary>True for a frame of the agent's voice.</summary>
    public bool IsAudio => !Audio.IsNone;

    /// <summary>The frame of the agent's voice, when this is one (the reader then owns it).</summary>
    public bool TryGetAudio(out PcmFrame frame)
    {
        frame = Audio;
        return !frame.IsNone;
    }

    /// <summary>The event as <typeparamref name="T"/>, when it is one.</summary>
    public bool TryGetEvent<T>([NotNullWhen(true)] out T? sessionEvent)
        where T : VoiceSessionEvent
    {
        sessionEvent = Event as T;
        return sessionEvent is not null;
    }

    /// <summary>A frame of the agent's voice (the reader will own it).</summary>
    public static implicit operator VoiceSessionOutput(PcmFrame audio) =>
        audio.IsNone ? throw new ArgumentException("An output needs a frame, not the empty one.", nameof(audio)) : new(audio, null);

    /// <summary>An event.</summary>
    public static implicit operator VoiceSessionOutput(VoiceSessionEvent sessionEvent) =>
        new(default, sessionEvent ?? throw new ArgumentNullException(nameof(sessionEvent)));

    /// <summary>The event, or the frame's format and item (no samples; readable after the frame is disposed too).</summary>
    public override string ToString() => Event?.ToString() ?? $"Audio {{ {Audio} }}";
}
