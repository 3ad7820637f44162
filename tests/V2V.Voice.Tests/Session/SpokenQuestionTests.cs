using V2V.Realtime.Protocol;
using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>A spoken question in, at any rate and channel count, comes back as the agent's voice and transcripts.</summary>
public sealed class SpokenQuestionTests
{
    private const string Question = "What is the weather in Paris today?";

    [Theory]
    [InlineData(16000, 1, 24000, RealtimeDialect.GA)]
    [InlineData(48000, 2, 16000, RealtimeDialect.GA)]
    [InlineData(16000, 1, 48000, RealtimeDialect.Beta)]
    [InlineData(48000, 2, 24000, RealtimeDialect.Beta)]
    public async Task SpokenQuestion_ComesBackAsAudioAndTranscripts(int inputRate, int channels, int outputRate, RealtimeDialect dialect)
    {
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.OutputSampleRate = outputRate;
            o.InputTranscript = true;
        }, dialect: dialect);
        var speech = Speech.Pcm16(Question, inputRate, channels);

        await harness.SendAsync(speech, inputRate, channels);
        // The user's transcription comes asynchronously, as on the service, in no set order with the answer: wait for both.
        var outputs = await harness.WaitForAsync(
            o => SessionHarness.HasFinalAssistantTranscript(o) && o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.User),
            "the answer's final transcript and the user's transcription");

        // The echo agent speaks the user's turn back: the audio out lasts as long as the turn the server heard.
        var audio = outputs.OfType<HeardAudio>().ToList();
        Assert.NotEmpty(audio);
        Assert.All(audio, a => Assert.Equal(outputRate, a.SampleRate));
        Assert.All(audio, a => Assert.Equal(outputRate / 100 * 2, a.Length)); // 10 ms frames
        var spokenSeconds = Speech.Say(Question).Duration.TotalSeconds;
        var answerSeconds = audio.Sum(a => a.Length) / 2.0 / outputRate;
        Assert.InRange(answerSeconds, spokenSeconds * 0.8, spokenSeconds + 1.5);
        Assert.True(audio.Any(a => HasSignal(a.Pcm16)), "the answer is not silence");

        var user = Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.User);
        Assert.True(user.IsFinal && user.EndOfSegment);
        Assert.Matches(@"^\[\d+\.\d\d s of speech\]$", user.Text);

        var assistant = outputs.OfType<TranscriptOutput>().Where(t => t.Role == TranscriptRole.Assistant).ToList();
        Assert.True(assistant[^1].IsFinal && assistant[^1].EndOfSegment && !assistant[^1].Interrupted);
        Assert.All(assistant[..^1], t => Assert.False(t.IsFinal));
        var said = string.Concat(assistant.Select(t => t.Text));
        Assert.Matches(@"^I heard \d+\.\d\d seconds of your speech, and here it is back\.$", said);
        // One sentence: its decimal point does not cut it, and its last period is only known to end it at the
        // end of the turn, so the whole of it comes in the final piece.
        Assert.Equal(said, Assert.Single(assistant).Text);
    }

    private static bool HasSignal(ReadOnlySpan<byte> pcm16)
    {
        var samples = V2V.Audio.Pcm16.AsSamples(pcm16);
        foreach (var s in samples)
        {
            if (Math.Abs((int)s) > 1000)
            {
                return true;
            }
        }
        return false;
    }
}
