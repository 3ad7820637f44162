namespace V2V.Audio.Tests;

/// <summary>What the writer writes, the reader reads back unchanged, seekable or not.</summary>
public sealed class WavRoundTripTests
{
    [Theory]
    [InlineData(8000, 1)]
    [InlineData(16000, 2)]
    [InlineData(22050, 1)]
    [InlineData(24000, 1)]
    [InlineData(44100, 2)]
    [InlineData(48000, 6)]
    [InlineData(96000, 3)]
    public void Written_samples_read_back_identically(int sampleRate, int channels)
    {
        var random = new Random(sampleRate + channels);
        short[] samples = new short[channels * 1000];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        }

        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, sampleRate, channels, leaveOpen: true))
        {
            // Several writes, as a dump receives frames.
            writer.Write(samples.AsSpan(0, channels * 300));
            writer.Write(samples.AsSpan(channels * 300));
            Assert.Equal(samples.Length, writer.SamplesWritten);
        }

        stream.Position = 0;
        WavAudio audio = WavReader.Read(stream);
        Assert.Equal(sampleRate, audio.SampleRate);
        Assert.Equal(channels, audio.Channels);
        Assert.Equal(samples, audio.Samples);
        Assert.Equal(44 + samples.Length * 2, stream.Length);
    }

    [Fact]
    public void Sizes_are_patched_on_dispose_when_the_stream_can_seek()
    {
        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, 16000, 1, leaveOpen: true))
        {
            writer.Write(new short[10]);
        }

        byte[] bytes = stream.ToArray();
        Assert.Equal(36u + 20u, BitConverter.ToUInt32(bytes, 4));
        Assert.Equal(20u, BitConverter.ToUInt32(bytes, 40));
    }

    [Fact]
    public async Task On_a_non_seekable_stream_the_sizes_stay_unknown_and_the_reader_reads_to_the_end()
    {
        var sink = new AppendOnlyStream();
        await using (var writer = new WavWriter(sink, 24000, 1, leaveOpen: true))
        {
            await writer.WriteAsync(new short[] { 1, 2, 3 }, TestContext.Current.CancellationToken);
        }

        byte[] bytes = sink.ToArray();
        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(bytes, 40));
        Assert.Equal(new short[] { 1, 2, 3 }, WavReader.Read(new MemoryStream(bytes)).Samples);
    }

    [Fact]
    public void Files_on_disk_round_trip()
    {
        string path = Path.Combine(Path.GetTempPath(), $"v2v-wav-{Guid.NewGuid():N}.wav");
        try
        {
            using (var writer = WavWriter.Create(path, 8000))
            {
                writer.Write(new short[] { -5, 5 });
            }

            Assert.Equal(new short[] { -5, 5 }, WavReader.ReadFile(path).Samples);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A write-only, non-seekable sink, like a pipe.</summary>
    private sealed class AppendOnlyStream : MemoryStream
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
