using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.Support;

/// <summary>A test extension that sends every audio frame it receives on, as its own <c>pcm_frame</c>.</summary>
public sealed class Echo : Extension
{
    public const string Addon = "echo";

    public override ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken) =>
        env.SendAudioFrameAsync(new AudioFrame("pcm_frame", frame.Buffer, frame.SampleRate, frame.Channels) { Timestamp = frame.Timestamp }, cancellationToken);
}
