using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// How the user's audio is cut into appends, as the server received them: chunks of InputChunkMs while the user
/// speaks, quiet frames at once (so the server sees the pause that ends a turn as it happens).
/// </summary>
public sealed class InputChunkingTests
{
    private const int Rate = 24000; // the model's rate: no resampling, so sample counts are exact
    private const int FrameSamples = 240;

    [Fact]
    public async Task ServerVad_QuietFramesAroundTheEndOfItsWindow_GoAtOnce_TheRestOfThePauseIsChunked()
    {
        await using var harness = await SessionHarness.StartAsync(o => { o.InputChunkMs = 100; o.VadSilenceDurationMs = 500; });

        // 50 loud frames (-20 dBFS): five chunks of 100 ms. Then 80 quiet frames of low noise (about -64 dBFS): the
        // pause is chunked until 400 ms of it (four chunks), its frames from 410 to 560 ms go one by one (16), and
        // from there it is chunked again (two chunks, four frames left gathered).
        await SendFramesAsync(harness, Tone(frames: 50, amplitude: 4600));
        await SendFramesAsync(harness, Noise(frames: 80, amplitude: 36));

        var appends = await harness.WaitForSentAsync("input_audio_buffer.append", a => a.Sum(SamplesOf) == 126 * FrameSamples, "126 frames of audio");
        var sizes = appends.Select(SamplesOf).ToArray();
        Assert.Equal([.. Enumerable.Repeat(2400, 9), .. Enumerable.Repeat(FrameSamples, 16), 2400, 2400], sizes);
    }

    [Fact]
    public async Task SemanticVad_EveryQuietFrame_GoesAtOnce_WithWhatWasGatheredBeforeIt()
    {
        await using var harness = await SessionHarness.StartAsync(o => { o.TurnMode = TurnMode.SemanticVad; o.InputChunkMs = 100; });

        // 55 loud frames: five whole chunks and 5 frames left over; then 20 quiet frames, each of which leaves at
        // once, the first taking the 5 left-over frames along.
        await SendFramesAsync(harness, Tone(frames: 55, amplitude: 4600));
        await SendFramesAsync(harness, Noise(frames: 20, amplitude: 36));

        var appends = await harness.WaitForSentAsync("input_audio_buffer.append", a => a.Sum(SamplesOf) == 75 * FrameSamples, "all 750 ms of audio");
        var sizes = appends.Select(SamplesOf).ToArray();
        Assert.Equal([2400, 2400, 2400, 2400, 2400, 6 * FrameSamples, .. Enumerable.Repeat(FrameSamples, 19)], sizes);
    }

    [Theory]
    [InlineData(TurnMode.ServerVad, -120.0)]
    [InlineData(TurnMode.Manual, -45.0)]
    public async Task QuietLevelOff_OrTurnsEndedHere_QuietFramesWaitForWholeChunks(TurnMode mode, double quietDbfs)
    {
        await using var harness = await SessionHarness.StartAsync(o => { o.TurnMode = mode; o.InputChunkMs = 100; o.InputQuietDbfs = quietDbfs; o.VadSilenceDurationMs = 500; });

        await SendFramesAsync(harness, Tone(frames: 50, amplitude: 4600));
        await SendFramesAsync(harness, Noise(frames: 80, amplitude: 36));

        var appends = await harness.WaitForSentAsync("input_audio_buffer.append", a => a.Sum(SamplesOf) >= 130 * FrameSamples, "all 1300 ms of audio");
        Assert.All(appends, a => Assert.Equal(2400, SamplesOf(a)));
    }

    [Fact]
    public async Task SpeechJustAboveTheQuietLevel_IsStillChunked()
    {
        // -40 dBFS is soft speech, above the default quiet level of -45 dBFS.
        await using var harness = await SessionHarness.StartAsync(o => { o.TurnMode = TurnMode.SemanticVad; o.InputChunkMs = 100; });

        await SendFramesAsync(harness, Tone(frames: 40, amplitude: 463));

        var appends = await harness.WaitForSentAsync("input_audio_buffer.append", a => a.Sum(SamplesOf) == 40 * FrameSamples, "all 400 ms of audio");
        Assert.All(appends, a => Assert.Equal(2400, SamplesOf(a)));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-121.0)]
    [InlineData(double.NaN)]
    public void QuietLevelOutOfRange_IsRefused_NamingTheSetting(double dbfs)
    {
        var options = new VoiceSessionOptions { Connection = new() { BaseUri = new Uri("ws://127.0.0.1:1") }, InputQuietDbfs = dbfs };
        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Contains(nameof(VoiceSessionOptions.InputQuietDbfs), error.Message, StringComparison.Ordinal);
    }

    private static async Task SendFramesAsync(SessionHarness harness, short[][] frames)
    {
        foreach (var frame in frames)
        {
            var bytes = new byte[frame.Length * 2];
            Buffer.BlockCopy(frame, 0, bytes, 0, bytes.Length);
            await harness.Session.SendAudioAsync(bytes, Rate, 1, TestContext.Current.CancellationToken);
        }
    }

    private static short[][] Tone(int frames, double amplitude) =>
        [.. Enumerable.Range(0, frames).Select(f => Enumerable.Range(0, FrameSamples)
            .Select(n => (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * 440 * ((f * FrameSamples) + n) / Rate))).ToArray())];

    private static short[][] Noise(int frames, int amplitude)
    {
        var random = new Random(5);
        return [.. Enumerable.Range(0, frames).Select(_ => Enumerable.Range(0, FrameSamples).Select(_ => (short)random.Next(-amplitude, amplitude + 1)).ToArray())];
    }

    private static int SamplesOf(System.Text.Json.JsonElement append) => append.GetProperty("audio").GetBytesFromBase64().Length / 2;
}
