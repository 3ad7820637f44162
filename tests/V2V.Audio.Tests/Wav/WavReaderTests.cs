using System.Buffers.Binary;

namespace V2V.Audio.Tests;

/// <summary>Decoding every supported encoding, and clear errors for files that are not what they claim.</summary>
public sealed class WavReaderTests
{
    private static readonly short[] Reference = [0, 1, -1, 12345, -12345, short.MaxValue, short.MinValue, 256, -256, 100];

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void Integer_pcm_of_each_depth_decodes_to_pcm16(int bits)
    {
        byte[] data = new byte[Reference.Length * bits / 8];
        for (int i = 0; i < Reference.Length; i++)
        {
            int wide = Reference[i] << (bits - 16 > 0 ? bits - 16 : 0);
            switch (bits)
            {
                case 8: data[i] = (byte)((Reference[i] >> 8) + 128); break;
                case 16: BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(2 * i), Reference[i]); break;
                case 24: data[3 * i] = (byte)wide; data[3 * i + 1] = (byte)(wide >> 8); data[3 * i + 2] = (byte)(wide >> 16); break;
                case 32: BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4 * i), wide); break;
            }
        }

        WavAudio audio = Read(WavBytes.Build(1, 1, 8000, bits, data));

        short[] expected = bits == 8 ? Array.ConvertAll(Reference, s => (short)((s >> 8) << 8)) : Reference;
        Assert.Equal(expected, audio.Samples);
        Assert.Equal($"PCM {bits}-bit", audio.SourceEncoding);
    }

    [Fact]
    public void Float32_scales_full_scale_to_pcm16_and_clips_beyond()
    {
        float[] values = [0f, 0.5f, -0.5f, 1.5f, -1.5f, 1f / 32768];
        byte[] data = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i]);
        }

        WavAudio audio = Read(WavBytes.Build(3, 1, 44100, 32, data));
        Assert.Equal(new short[] { 0, 16384, -16384, short.MaxValue, short.MinValue, 1 }, audio.Samples);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(1, 24)]
    [InlineData(3, 32)]
    public void Extensible_format_is_read_through_its_sub_format(int tag, int bits)
    {
        byte[] data = new byte[4 * bits / 8];
        WavAudio audio = Read(WavBytes.Build(tag, 2, 48000, bits, data, extensible: true));
        Assert.Equal(2, audio.Channels);
        Assert.Equal(48000, audio.SampleRate);
        Assert.Equal(2, audio.FrameCount);
    }

    [Fact]
    public void Unknown_chunks_are_skipped_including_the_pad_byte_of_odd_sizes()
    {
        byte[] data = new byte[6];
        BinaryPrimitives.WriteInt16LittleEndian(data, 1234);
        byte[] file = WavBytes.Build(1, 1, 16000, 16, data,
            chunksBeforeData: [("LIST", new byte[] { 1, 2, 3 }), ("fact", new byte[4]), ("junk", new byte[7])]);

        WavAudio audio = Read(file);
        Assert.Equal(new short[] { 1234, 0, 0 }, audio.Samples);
    }

    [Fact]
    public void G711_wav_files_decode_with_the_g711_tables()
    {
        byte[] data = [MuLaw.Encode(1000), MuLaw.Encode(-1000)];
        WavAudio audio = Read(WavBytes.Build(7, 1, 8000, 8, data));
        Assert.Equal(new[] { MuLaw.Decode(data[0]), MuLaw.Decode(data[1]) }, audio.Samples);
    }

    [Fact]
    public void Non_seekable_streams_are_read()
    {
        byte[] data = new byte[8];
        data[0] = 7;
        byte[] file = WavBytes.Build(1, 2, 22050, 16, data, chunksBeforeData: [("LIST", new byte[9])]);
        WavAudio audio = WavReader.Read(new ForwardOnlyStream(file));
        Assert.Equal(new short[] { 7, 0, 0, 0 }, audio.Samples);
    }

    [Fact]
    public void A_file_that_is_not_riff_wave_is_named_as_such()
    {
        var error = Assert.Throws<InvalidDataException>(() => Read("ID3\u0004 this is an mp3"u8.ToArray()));
        Assert.Contains("Not a RIFF/WAVE file", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ID3?'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Not a RIFF/WAVE file", Assert.Throws<InvalidDataException>(() => Read([])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_data_chunk_says_how_much_is_missing()
    {
        byte[] file = WavBytes.Build(1, 1, 16000, 16, new byte[100]);
        var error = Assert.Throws<InvalidDataException>(() => Read(file[..^40]));
        Assert.Contains("declares 100 bytes but only 60 follow", error.Message, StringComparison.Ordinal);
        Assert.Contains("'data' chunk", Assert.Throws<InvalidDataException>(() => Read(file[..36])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_format_tag_is_named_with_the_supported_list()
    {
        var error = Assert.Throws<NotSupportedException>(() => Read(WavBytes.Build(2, 1, 8000, 4, new byte[10])));
        Assert.Contains("Microsoft ADPCM (format tag 0x0002)", error.Message, StringComparison.Ordinal);
        Assert.Contains("supported: PCM 8/16/24/32-bit", error.Message, StringComparison.Ordinal);
        Assert.Contains("PCM 12-bit", Assert.Throws<NotSupportedException>(() => Read(WavBytes.Build(1, 1, 8000, 12, new byte[12]))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_channels_is_an_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(WavBytes.Build(1, 0, 8000, 16, new byte[4])));
        Assert.Contains("zero channels", error.Message, StringComparison.Ordinal);
    }

    private static WavAudio Read(byte[] file) => WavReader.Read(new MemoryStream(file));

    /// <summary>A stream that can only be read forward, like a pipe or a socket.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
