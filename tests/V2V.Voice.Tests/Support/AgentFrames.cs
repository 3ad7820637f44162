using V2V.Frames;

namespace V2V.Voice.Tests.Support;

/// <summary>Frames of the agent's voice as the playout gets them: 10 ms of silence at 16 kHz each, with their item and end.</summary>
internal static class AgentFrames
{
    /// <summary><paramref name="count"/> frames of <paramref name="item"/> in a row, the first starting <paramref name="startMs"/> into it.</summary>
    public static List<PcmFrame> Of(string item, int count, double startMs = 0) =>
        [.. Enumerable.Range(1, count).Select(i =>
        {
            var frame = PcmFrame.Rent(320, 16000);
            frame.SetItem(item, (long)((startMs + (i * 10)) * 16));
            return frame;
        })];
}
