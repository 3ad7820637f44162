using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>Turns ended by the caller, or by the local Silero detector, instead of the server.</summary>
public sealed class TurnTakingTests
{
    [Fact]
    public async Task ManualTurns_CommitAndAskForAResponse_WithServerVadOff()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.TurnMode = TurnMode.Manual);
        await harness.SendAsync(Speech.Pcm16("Hello there, agent.", 24000, 1, trailingSilenceMs: 200), 24000, 1);

        Assert.True(await harness.Session.EndTurnAsync(TestContext.Current.CancellationToken));
        var outputs = await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer");

        Assert.NotEmpty(outputs.OfType<HeardAudio>());
        Assert.Single(harness.Sent("input_audio_buffer.commit"));
        Assert.Single(harness.Sent("response.create"));
        var audioInput = (await harness.WaitForSentAsync("session.update")).GetProperty("session").GetProperty("audio").GetProperty("input");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, audioInput.GetProperty("turn_detection").ValueKind);
    }

    [Theory]
    [InlineData(V2V.Realtime.Protocol.RealtimeDialect.GA)]
    [InlineData(V2V.Realtime.Protocol.RealtimeDialect.Beta)]
    public async Task NoiseReduction_IsAskedOfTheService_InEitherDialect(V2V.Realtime.Protocol.RealtimeDialect dialect)
    {
        // Noise the turn detection takes for speech cuts the agent off: a speakerphone's session asks for far_field.
        await using var harness = await SessionHarness.StartAsync(o => o.NoiseReduction = "far_field", dialect: dialect);

        var session = (await harness.WaitForSentAsync("session.update")).GetProperty("session");
        var noise = dialect == V2V.Realtime.Protocol.RealtimeDialect.GA
            ? session.GetProperty("audio").GetProperty("input").GetProperty("noise_reduction")
            : session.GetProperty("input_audio_noise_reduction");
        Assert.Equal("far_field", noise.GetProperty("type").GetString());
        Assert.Contains("session.updated", harness.ReceivedEvents); // accepted: a refusal fails the start
    }

    [Fact]
    public async Task ManualTurn_WithTooLittleAudio_IsNotCommitted()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.TurnMode = TurnMode.Manual);
        await harness.Session.SendAudioAsync(new byte[320], 16000, 1, TestContext.Current.CancellationToken);

        Assert.False(await harness.Session.EndTurnAsync(TestContext.Current.CancellationToken));
        Assert.Empty(harness.Sent("input_audio_buffer.commit"));
    }

    [Fact]
    public async Task ManualTurn_AfterTheUserLeft_CountsOnlyWhatWasSentSince()
    {
        // The user's leaving clears the service's input buffer: the next user's 40 ms are all there is to commit, and
        // a commit of under 100 ms would be refused (input_audio_buffer_commit_empty).
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await SessionHarness.StartAsync(o => o.TurnMode = TurnMode.Manual);
        await harness.SendAsync(Speech.Pcm16("Hello there, agent.", 24000, 1, trailingSilenceMs: 200), 24000, 1);
        await harness.Session.UserLeftAsync(ct);

        await harness.Session.SendAudioAsync(new byte[2 * 16 * 40], 16000, 1, ct);

        Assert.False(await harness.Session.EndTurnAsync(ct));
        Assert.Empty(harness.Sent("input_audio_buffer.commit"));
        Assert.DoesNotContain(harness.Outputs.OfType<ErrorOutput>(), e => e.Code == "input_audio_buffer_commit_empty");
    }

    [Fact]
    public async Task LocalVad_EndsTheTurn_WhenTheUserStopsSpeaking()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.TurnMode = TurnMode.LocalVad);
        await harness.SendAsync(Speech.Pcm16("What time is it in Tokyo?", 16000, 1, trailingSilenceMs: 1500), 16000, 1);

        var outputs = await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer after the local VAD ended the turn");

        Assert.Single(harness.Sent("input_audio_buffer.commit"));
        Assert.NotEmpty(outputs.OfType<HeardAudio>());
    }
}
