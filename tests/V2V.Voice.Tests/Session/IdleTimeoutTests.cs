using V2V.Realtime.Protocol;
using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// <see cref="VoiceSessionOptions.IdleTimeout"/>: a user who says nothing after the agent's answer played is prompted to
/// go on, by the service (server VAD's <c>idle_timeout_ms</c>), and the reader is told.
/// </summary>
public sealed class IdleTimeoutTests
{
    private const int Rate = 16000;

    [Fact]
    public async Task SilenceAfterTheAnswer_IsToldAsIdle_AndTheServiceAnswersIt_WithoutAskingForIt()
    {
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.IdleTimeout = TimeSpan.FromSeconds(5);
            o.InputTranscript = true;
        });
        var update = await harness.WaitForSentAsync("session.update");
        var turnDetection = update.GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("turn_detection");
        Assert.Equal(5000, turnDetection.GetProperty("idle_timeout_ms").GetInt32());

        await harness.SendAsync(Speech.Pcm16("Tell me about the weather.", Rate, 1), Rate, 1);
        await harness.WaitForAsync(
            o => SessionHarness.HasFinalAssistantTranscript(o) && o.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.User),
            "the answer to the question and the question's words");
        Assert.DoesNotContain(harness.Outputs, o => o is UserIdleOutput); // the answer still played: no idle time yet

        // The answer was heard (the server counts its audio as played from where it began): then silence, as a microphone
        // in a quiet room sends it, longer than the answer and the timeout together.
        await harness.SendAsync(new byte[Rate * 2 * 12], Rate, 1);
        var outputs = await harness.WaitForAsync(
            o => o.OfType<UserIdleOutput>().Any() && o.OfType<TranscriptOutput>().Count(t => t.Role == TranscriptRole.Assistant && t.IsFinal) == 2
                && o.OfType<UserTranscriptPendingOutput>().Any(p => !p.Pending),
            "the idle prompt, its answer, and the silent turn's transcription");

        var idle = Assert.Single(outputs.OfType<UserIdleOutput>());
        Assert.InRange(idle.SilentToMs - idle.SilentFromMs, 5000, 5200); // the timeout's length of silence, to the append
        var firstAnswerEnd = outputs.ToList().FindIndex(o => o is TranscriptOutput { Role: TranscriptRole.Assistant, IsFinal: true });
        Assert.True(outputs.ToList().IndexOf(idle) > firstAnswerEnd, "told after the answer it follows");
        Assert.DoesNotContain(outputs, o => o is UserSpeechOutput { Started: true } s && s.AudioMs > idle.SilentFromMs);
        // The silence has no words: its turn, said pending at its commit, is said to have none, with no empty line told
        // or kept for a new connection.
        var silent = Assert.Single(outputs.OfType<UserTranscriptPendingOutput>(), p => !p.Pending);
        Assert.Equal(idle.ItemId, silent.ItemId);
        Assert.Contains(outputs, o => o is UserTranscriptPendingOutput { Pending: true } p && p.ItemId == silent.ItemId);
        Assert.Single(outputs.OfType<TranscriptOutput>(), t => t.Role == TranscriptRole.User);
        Assert.DoesNotContain(outputs, o => o is TranscriptOutput t && string.IsNullOrWhiteSpace(t.Text));
        var history = await harness.Session.HistorySnapshotAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["user", "assistant", "assistant"], history.Select(i => i.Role));
        Assert.DoesNotContain(history, i => i.Role == "user" && (i.Content ?? []).All(c => string.IsNullOrWhiteSpace(c.Text)));
        // The service committed the silence and answered it by itself: the session asked for no answer.
        Assert.Empty(harness.Sent("response.create"));
        Assert.Empty(harness.Sent("input_audio_buffer.commit"));
    }

    [Theory]
    [InlineData(4.9, TurnMode.ServerVad, "IdleTimeout must be 5 to 30 s, or null (off) (got 4.9 s)")]
    [InlineData(31, TurnMode.ServerVad, "IdleTimeout must be 5 to 30 s, or null (off) (got 31 s)")]
    public void AnIdleTimeoutTheServiceCannotKeep_IsNamed_WithWhatIsAllowed(double seconds, TurnMode mode, string message)
    {
        var options = new VoiceSessionOptions { IdleTimeout = TimeSpan.FromSeconds(seconds), TurnMode = mode };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(VoiceSessionOptions.IdleTimeout), ex.ParamName);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InAnotherTurnMode_TheServiceIsNotAskedToKeepIt_TheSessionPromptsTheUser()
    {
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.IdleTimeout = TimeSpan.FromSeconds(5);
            o.TurnMode = TurnMode.Manual;
            o.Instructions = "You speak {language}.";
            o.Language = "French";
        });
        var update = await harness.WaitForSentAsync("session.update");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, update.GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("turn_detection").ValueKind);

        await harness.Session.SendTextAsync("Hello.", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(
            o => o.OfType<UserIdleOutput>().Any() && o.OfType<TranscriptOutput>().Count(t => t.Role == TranscriptRole.Assistant && t.IsFinal) == 2,
            "the answer, the silence and the prompt's answer");

        var idle = Assert.Single(outputs.OfType<UserIdleOutput>());
        Assert.Null(idle.ItemId);
        Assert.Equal(5000, idle.SilentToMs - idle.SilentFromMs);
        var creates = harness.Sent("response.create");
        Assert.Equal(2, creates.Count); // the text's answer, then the prompt
        // The prompt follows the session's instructions (placeholders replaced), which a response's would otherwise replace.
        Assert.Equal($"You speak French.\n\n{V2V.Voice.Turns.UserIdleWatch.PromptInstructions}", creates[1].GetProperty("response").GetProperty("instructions").GetString());
    }
}
