namespace V2V.Audio.Tests;

/// <summary>The model-free fallback on the same scene: coarser, but it must find both utterances.</summary>
public sealed class EnergyVadTests
{
    [Fact]
    public void Both_utterances_are_found_and_silence_stays_silent()
    {
        var scene = SpokenAudio.TwoUtterances();
        using var detector = new EnergyVoiceActivityDetector(SpokenAudio.SampleRate);
        var events = new List<VoiceActivityEvent>();
        var chunks = new List<VoiceActivityChunk>();
        for (int offset = 0; offset < scene.Samples.Length; offset += 160)
        {
            detector.Process(scene.Samples.AsSpan(offset, Math.Min(160, scene.Samples.Length - offset)), events, chunks);
        }

        var score = FrameScore.Of(scene, chunks, threshold: 0.5f);
        TestContext.Current.TestOutputHelper?.WriteLine($"Energy: {score}");
        Assert.Equal(0, score.FalseAlarmsInSilence);
        Assert.True(score.Recall >= 0.6, score.ToString());
        var starts = events.Where(e => e.Kind == VoiceActivityEventKind.SpeechStarted).ToList();
        Assert.True(starts.Count is >= 2 and <= 6, $"{starts.Count} starts");
        Assert.InRange(starts[0].Position.TotalSeconds, scene.Speech[0].Start / 16000.0 - 0.1, scene.Speech[0].Start / 16000.0 + 0.2);
    }

    [Fact]
    public void Bad_options_are_refused_naming_the_property()
    {
        var error = Assert.Throws<ArgumentException>(() => new EnergyVoiceActivityDetector(16000, new VoiceActivityOptions { Threshold = 1.5f }));
        Assert.Contains("VoiceActivityOptions.Threshold", error.Message, StringComparison.Ordinal);
    }
}
