using V2V.Voice.Input;

namespace V2V.Voice.Tests.Input;

/// <summary>The block store of a connection's input audio: each sample holds its own position, so a copy says where it came from.</summary>
public sealed class KeptAudioTests
{
    private const int Block = AudioBlockPool.BlockSamples;

    [Fact]
    public void CopiesAcrossBlocks_AfterTheStartWasDropped_ByPosition()
    {
        using var audio = new KeptAudio();
        Append(audio, 0, (3 * Block) + 17);

        audio.DropBefore(Block + 5);
        var copy = audio.Copy(Block + 5, (2 * Block) + 9);

        Assert.Equal(Block + 5, audio.Start);
        Assert.Equal((3 * Block) + 17, audio.End);
        Assert.Equal(Block + 4, copy.Length);
        Assert.Equal(Enumerable.Range(Block + 5, Block + 4).Select(i => (short)i), copy);
    }

    [Fact]
    public void DroppingBeforeTheStart_KeepsAll_AndClearingStartsAgainAtAPosition()
    {
        using var audio = new KeptAudio();
        Append(audio, 0, 100);
        audio.DropBefore(50);
        audio.DropBefore(20); // before the start: nothing more goes
        Assert.Equal(50, audio.Start);

        audio.Clear(1000);
        Append(audio, 1000, 1100);

        Assert.Equal(1000, audio.Start);
        Assert.Equal(1100, audio.End);
        Assert.Equal(Enumerable.Range(1000, 100).Select(i => (short)i), audio.Copy(1000, 1100));
    }

    private static void Append(KeptAudio audio, int from, int to)
    {
        var samples = new short[to - from];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)(from + i);
        }
        audio.Append(samples);
    }
}
