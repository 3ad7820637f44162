using V2V.Ten.Messages;

namespace V2V.Graph.Tests.Support;

public static class TestFrames
{
    /// <summary>A 10 ms mono 16 kHz frame whose timestamp identifies it.</summary>
    public static AudioFrame Pcm(long timestamp) => new("pcm_frame", new byte[320], 16000, 1) { Timestamp = timestamp };
}
