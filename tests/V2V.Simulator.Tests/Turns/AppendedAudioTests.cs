using System.Text.Json;
using V2V.Simulator.Audio;

namespace V2V.Simulator.Tests.Turns;

/// <summary>An append's audio, checked and decoded as the service does, without a socket.</summary>
public sealed class AppendedAudioTests
{
    [Fact]
    public void Base64Pcm16_IsDecodedToSamples()
    {
        var audio = Convert.ToBase64String([0x01, 0x00, 0xFF, 0xFF]);

        Assert.Null(AppendedAudio.Read(Append($$"""{"audio":"{{audio}}"}"""), AudioFormat.Pcm16, "a1", out var samples));

        Assert.Equal(new short[] { 1, -1 }, samples);
    }

    [Fact]
    public void G711_IsDecodedToThreeSamplesAByte_At24kHz()
    {
        var audio = Convert.ToBase64String(new byte[80]);

        Assert.Null(AppendedAudio.Read(Append($$"""{"audio":"{{audio}}"}"""), AudioFormat.G711Ulaw, "a1", out var samples));

        Assert.Equal(240, samples.Length);
    }

    [Theory]
    [InlineData("""{}""", "missing_required_parameter", "Missing required parameter: 'audio'.")]
    [InlineData("""{"audio":"not base64!"}""", "invalid_value", "Invalid 'audio'. Expected base64-encoded audio bytes.")]
    public void ARefusedAppend_NamesTheAudioAndTheEvent(string json, string code, string message)
    {
        var error = AppendedAudio.Read(Append(json), AudioFormat.Pcm16, "a1", out var samples);

        Assert.Equal(code, error?.Code);
        Assert.Equal(message, error?.Message);
        Assert.Equal("audio", error?.Param);
        Assert.Equal("a1", error?.EventId);
        Assert.Empty(samples);
    }

    [Fact]
    public void MoreThan15MiB_IsRefused()
    {
        var audio = Convert.ToBase64String(new byte[AppendedAudio.MaxAppendBytes + 2]);

        var error = AppendedAudio.Read(Append($$"""{"audio":"{{audio}}"}"""), AudioFormat.Pcm16, null, out _);

        Assert.Equal($"Audio of {AppendedAudio.MaxAppendBytes + 2} bytes exceeds the maximum of 15 MiB per append.", error?.Message);
    }

    private static JsonElement Append(string json) => JsonElement.Parse(json);
}
