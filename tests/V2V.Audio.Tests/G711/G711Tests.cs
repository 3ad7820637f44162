namespace V2V.Audio.Tests;

/// <summary>G.711 against values of the ITU-T tables and the error bounds of logarithmic quantization.</summary>
public sealed class G711Tests
{
    [Theory]
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0x80, 32124)]
    [InlineData(0x00, -32124)]
    [InlineData(0xFE, 8)]
    [InlineData(0x7E, -8)]
    [InlineData(0x01, -31100)]
    [InlineData(0x02, -30076)]
    [InlineData(0x70, -120)]
    [InlineData(0xEF, 132)]
    public void Mu_law_decodes_to_the_itu_values(int code, int expected)
        => Assert.Equal(expected, MuLaw.Decode((byte)code));

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    [InlineData(0xD4, 24)]
    [InlineData(0xC5, 264)]
    public void A_law_decodes_to_the_itu_values(int code, int expected)
        => Assert.Equal(expected, ALaw.Decode((byte)code));

    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(-1, 0x7F)]
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    public void Mu_law_encodes_known_values(int sample, int code)
        => Assert.Equal(code, MuLaw.Encode((short)sample));

    [Theory]
    [InlineData(0, 0xD5)]
    [InlineData(-1, 0x55)]
    [InlineData(32767, 0xAA)]
    [InlineData(-32768, 0x2A)]
    public void A_law_encodes_known_values(int sample, int code)
        => Assert.Equal(code, ALaw.Encode((short)sample));

    [Fact]
    public void Tables_match_the_reference_formulas_for_every_pcm16_value()
    {
        for (int s = short.MinValue; s <= short.MaxValue; s++)
        {
            Assert.Equal(MuLaw.EncodeByFormula((short)s), MuLaw.Encode((short)s));
            Assert.Equal(ALaw.EncodeByFormula((short)s), ALaw.Encode((short)s));
        }
    }

    [Fact]
    public void Every_code_survives_decode_then_encode()
    {
        for (int code = 0; code < 256; code++)
        {
            // mu-law has two zeros (0x7F and 0xFF); both decode to 0, which encodes as 0xFF.
            byte mu = MuLaw.Encode(MuLaw.Decode((byte)code));
            Assert.Equal(code == 0x7F ? 0xFF : code, mu);
            Assert.Equal(code, ALaw.Encode(ALaw.Decode((byte)code)));
        }
    }

    [Fact]
    public void Round_trip_error_stays_within_half_a_quantization_step()
    {
        for (int s = short.MinValue; s <= short.MaxValue; s++)
        {
            int magnitude = Math.Abs(s);
            // Step sizes grow with level: 8 (mu, 16-bit scale) or 16 (A) in the first segment, doubling per segment.
            int muError = Math.Abs(MuLaw.Decode(MuLaw.Encode((short)s)) - s);
            int aError = Math.Abs(ALaw.Decode(ALaw.Encode((short)s)) - s);
            Assert.True(muError <= Math.Max(8, magnitude / 16 + 4) || magnitude > 32124, $"mu-law {s}: error {muError}");
            Assert.True(aError <= Math.Max(16, magnitude / 32 + 8) || magnitude > 32256, $"A-law {s}: error {aError}");
        }
    }

    [Fact]
    public void Span_forms_match_the_scalar_forms_and_check_room()
    {
        short[] samples = [0, 100, -100, 30000, -30000];
        byte[] mu = new byte[5], a = new byte[5];
        short[] back = new short[5];
        MuLaw.Encode(samples, mu);
        ALaw.Encode(samples, a);
        Assert.Equal(Array.ConvertAll(samples, MuLaw.Encode), mu);
        Assert.Equal(Array.ConvertAll(samples, ALaw.Encode), a);
        MuLaw.Decode(mu, back);
        Assert.Equal(Array.ConvertAll(mu, MuLaw.Decode), back);
        Assert.Equal("codes", Assert.Throws<ArgumentException>(() => MuLaw.Encode(samples, new byte[2])).ParamName);
    }
}
