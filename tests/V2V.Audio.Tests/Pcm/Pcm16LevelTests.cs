namespace V2V.Audio.Tests.Pcm;

/// <summary>The vector sum of squares is the exact sum, at every length (whole vectors and a tail) and at full scale.</summary>
public sealed class Pcm16LevelTests
{
    private static long BySample(ReadOnlySpan<short> samples)
    {
        long sum = 0;
        foreach (var s in samples)
        {
            sum += (long)s * s;
        }
        return sum;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(240)]
    [InlineData(481)]
    public void SumOfSquares_IsTheExactSum(int length)
    {
        var random = new Random(length);
        var samples = new short[length];
        for (var i = 0; i < length; i++)
        {
            samples[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        Assert.Equal(BySample(samples), Pcm16Level.SumOfSquares(samples));
    }

    [Fact]
    public void FullScale_DoesNotOverflow_AndIsZeroDbfs()
    {
        var loudest = Enumerable.Repeat(short.MinValue, 4800).ToArray();

        Assert.Equal(4800L * 32768 * 32768, Pcm16Level.SumOfSquares(loudest));
        Assert.Equal(0, Pcm16Level.Dbfs(loudest), precision: 9);
        Assert.Equal(-120, Pcm16Level.Dbfs(new short[480]));
        Assert.Equal(-120, Pcm16Level.Dbfs([]));
    }
}
