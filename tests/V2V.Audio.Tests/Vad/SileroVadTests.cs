namespace V2V.Audio.Tests;

/// <summary>Silero VAD v5 on synthesized speech between stretches of noise.</summary>
public sealed class SileroVadTests
{
    private static readonly Lazy<SileroVadModel> Model = new(() => SileroVadModel.Load());

    [Theory]
    [InlineData(16000, 320)]
    [InlineData(24000, 480)]
    [InlineData(48000, 4800)]
    [InlineData(8000, 77)]
    public void Speech_is_found_inside_the_utterances_and_not_in_the_silence(int rate, int frameSize)
    {
        var scene = SpokenAudio.TwoUtterances();
        short[] input = rate == SpokenAudio.SampleRate ? scene.Samples : SpokenAudio.AtRate(scene.Samples, rate);
        using var detector = Model.Value.CreateDetector(rate);
        var events = new List<VoiceActivityEvent>();
        var chunks = new List<VoiceActivityChunk>();
        for (int offset = 0; offset < input.Length; offset += frameSize)
        {
            detector.Process(input.AsSpan(offset, Math.Min(frameSize, input.Length - offset)), events, chunks);
        }

        var score = FrameScore.Of(scene, chunks, threshold: 0.5f);
        TestContext.Current.TestOutputHelper?.WriteLine($"Silero at {rate} Hz: {score}");
        Assert.True(score.Precision >= 0.95, $"precision {score}");
        Assert.True(score.Recall >= 0.85, $"recall {score}");
        Assert.True(score.FalseAlarmsInSilence == 0, $"speech reported in silence: {score}");

        // One start and one end per utterance, near where the sentence is.
        Assert.Equal(4, events.Count);
        for (int u = 0; u < 2; u++)
        {
            var (start, end) = scene.Speech[u];
            Assert.Equal(VoiceActivityEventKind.SpeechStarted, events[2 * u].Kind);
            Assert.Equal(VoiceActivityEventKind.SpeechEnded, events[2 * u + 1].Kind);
            Assert.InRange(events[2 * u].Position.TotalSeconds, Seconds(start) - 0.15, Seconds(start) + 0.2);
            Assert.InRange(events[2 * u + 1].Position.TotalSeconds, Seconds(end) - 0.15, Seconds(end) + 0.3);
        }

        Assert.False(detector.IsSpeech);
    }

    [Fact]
    public void Noise_alone_is_not_speech()
    {
        var random = new Random(11);
        short[] noise = new short[16000 * 3];
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = (short)random.Next(-330, 331);
        }

        using var detector = Model.Value.CreateDetector(16000);
        var events = new List<VoiceActivityEvent>();
        Assert.Equal(93, detector.Process(noise, events));
        Assert.Empty(events);
        Assert.True(detector.LastProbability < 0.2, $"probability {detector.LastProbability}");
    }

    [Fact]
    public void Reset_gives_the_same_probabilities_again()
    {
        var scene = SpokenAudio.TwoUtterances();
        using var detector = Model.Value.CreateDetector(16000);
        var first = new List<VoiceActivityChunk>();
        var second = new List<VoiceActivityChunk>();
        detector.Process(scene.Samples, chunks: first);
        detector.Reset();
        detector.Process(scene.Samples, chunks: second);
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_missing_model_file_says_how_to_get_it()
    {
        var error = Assert.Throws<FileNotFoundException>(() => SileroVadModel.Load("/nonexistent/silero_vad_v5.onnx"));
        Assert.Contains("npm pack @ricky0123/vad-web@0.0.31", error.Message, StringComparison.Ordinal);
        Assert.Contains("EnergyVoiceActivityDetector", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_puts_the_model_next_to_the_application()
        => Assert.True(File.Exists(SileroVadModel.DefaultModelPath), $"missing {SileroVadModel.DefaultModelPath}");

    private static double Seconds(int sample16k) => sample16k / (double)SpokenAudio.SampleRate;
}
