using V2V.Audio;
using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>Greeting, reconnect with history, dump files, and bad input that must not end a session.</summary>
public sealed class SessionLifecycleTests
{
    [Fact]
    public async Task Greeting_IsSpokenOnceWhenTheUserJoins()
    {
        const string greeting = "Hello there! How can I help you today?";
        await using var harness = await SessionHarness.StartAsync(o => o.Greeting = greeting);

        await harness.Session.UserJoinedAsync(TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the greeting");
        await harness.Session.UserJoinedAsync(TestContext.Current.CancellationToken);

        Assert.Equal(greeting, string.Concat(outputs.OfType<TranscriptOutput>().Select(t => t.Text)));
        Assert.NotEmpty(outputs.OfType<HeardAudio>());
        Assert.Single(harness.Sent("response.create"));
    }

    [Fact]
    public async Task Greeting_IsAskedAfterTheSessionsInstructions_SoTheAgentKeepsItsPersona_AndSaysItExactly()
    {
        // A response's instructions replace the session's for that answer: the greeting's keep them in front.
        const string persona = "You are the bakery's assistant. Answer exactly as asked, in French, and sign \"Chez Paul\".";
        const string greeting = "Bonjour ! Que puis-je faire pour vous ?";
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.Instructions = persona;
            o.Greeting = greeting;
        });

        await harness.Session.UserJoinedAsync(TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the greeting");

        var asked = harness.Sent("response.create").Single().GetProperty("response").GetProperty("instructions").GetString()!;
        Assert.StartsWith(persona, asked, StringComparison.Ordinal);
        Assert.EndsWith(V2V.Voice.Conversation.ConversationFlow.GreetingAsk(greeting), asked, StringComparison.Ordinal);
        Assert.Equal(greeting, string.Concat(outputs.OfType<TranscriptOutput>().Select(t => t.Text)));
    }

    [Fact]
    public async Task Dispose_EndsTheConnectionWithACloseFrame_NotADrop()
    {
        // A session that ends while its reader waits for the next event must still say goodbye: cancelling that
        // pending receive first would abort the socket, and the service would see a dropped connection.
        var closes = new System.Collections.Concurrent.ConcurrentQueue<System.Net.WebSockets.WebSocketCloseStatus?>();
        var harness = await SessionHarness.StartAsync(configureServer: s => s.ClientCloseObserver = closes.Enqueue);
        await harness.Session.SendTextAsync("hello", TestContext.Current.CancellationToken);
        await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer");

        await harness.DisposeAsync();

        Assert.Equal([System.Net.WebSockets.WebSocketCloseStatus.NormalClosure], closes);
    }

    [Fact]
    public async Task DroppedConnection_Reconnects_AndReplaysTheHistoryWithAReanchor()
    {
        await using var harness = await SessionHarness.StartAsync(o => o.AudioOut = false, s => s.Faults.CloseAfterEvents = 14);
        await harness.Session.SendTextAsync("remember the word pineapple", TestContext.Current.CancellationToken);

        var outputs = await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "a reconnect");

        Assert.Contains(outputs, o => o is StateOutput { State: VoiceSessionState.Reconnecting });
        // The server's record lags the client's sends a little: wait for the re-anchor to arrive there.
        var created = await harness.WaitForSentAsync("conversation.item.create",
            sent => sent.Any(e => e.GetProperty("item").GetProperty("role").GetString() == "system"), "the re-anchor");
        Assert.True(harness.Sent("session.update").Count >= 2, "the new connection was configured");
        var replayed = created.Select(e => e.GetProperty("item")).ToList();
        Assert.Contains(replayed, i => i.GetProperty("role").GetString() == "user"
            && i.GetProperty("content")[0].GetProperty("text").GetString() == "remember the word pineapple");
        var reanchor = replayed.Last();
        Assert.Equal("system", reanchor.GetProperty("role").GetString());
        Assert.Contains("re-established", reanchor.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_WritesInputAndOutputWavFiles()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"v2v-dump-{Guid.NewGuid():N}");
        var speech = Speech.Pcm16("Please write this down.", 16000, 1);
        (string Input, string Output) files;
        await using (var harness = await SessionHarness.StartAsync(o =>
        {
            o.Dump = true;
            o.DumpFolder = folder;
            o.DumpName = "4242";
        }))
        {
            await harness.SendAsync(speech, 16000, 1);
            await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer");
            files = harness.Session.DumpFiles!.Value;
        }

        Assert.StartsWith(Path.GetFullPath(folder), files.Input, StringComparison.Ordinal);
        Assert.StartsWith("4242_", Path.GetFileName(files.Input), StringComparison.Ordinal);
        var input = WavReader.ReadFile(files.Input);
        var output = WavReader.ReadFile(files.Output);
        Assert.Equal(24000, input.SampleRate);
        Assert.InRange(input.Duration.TotalSeconds, speech.Length / 32000.0 - 0.1, speech.Length / 32000.0 + 0.01);
        Assert.True(output.Duration > TimeSpan.FromSeconds(0.5));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task BadFrames_AreRefusedClearly_AndTheSessionGoesOn()
    {
        await using var harness = await SessionHarness.StartAsync();
        var ct = TestContext.Current.CancellationToken;

        var odd = await Assert.ThrowsAsync<ArgumentException>(() => harness.Session.SendAudioAsync(new byte[321], 16000, 1, ct).AsTask());
        Assert.Contains("whole number", odd.Message, StringComparison.Ordinal);
        var rate = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Session.SendAudioAsync(new byte[320], 96000, 1, ct).AsTask());
        Assert.Contains("8000 to 48000", rate.Message, StringComparison.Ordinal);
        var huge = await Assert.ThrowsAsync<ArgumentException>(() => harness.Session.SendAudioAsync(new byte[10 * 1024 * 1024], 16000, 1, ct).AsTask());
        Assert.Contains("at most", huge.Message, StringComparison.Ordinal);
        await harness.Session.SendAudioAsync(ReadOnlyMemory<byte>.Empty, 16000, 1, ct);

        await harness.SendAsync(Speech.Pcm16("Still there?", 16000, 1), 16000, 1);
        await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "an answer after the bad frames");
    }

    [Theory]
    [InlineData(nameof(VoiceSessionOptions.OutputSampleRate))]
    [InlineData(nameof(VoiceSessionOptions.VadThreshold))]
    [InlineData(nameof(VoiceSessionOptions.SemanticVadEagerness))]
    [InlineData(nameof(VoiceSessionOptions.DumpName))]
    public void BadOptions_AreRefused_NamingTheSetting(string setting)
    {
        var options = new VoiceSessionOptions();
        switch (setting)
        {
            case nameof(VoiceSessionOptions.OutputSampleRate): options.OutputSampleRate = 96000; break;
            case nameof(VoiceSessionOptions.VadThreshold): options.VadThreshold = 1.5; break;
            case nameof(VoiceSessionOptions.DumpName): options.DumpName = "../outside"; break;
            default: options.SemanticVadEagerness = "eager"; break;
        }

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(setting, ex.ParamName);
        Assert.StartsWith(setting, ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>The connection is renewed before the server's session limit, at a quiet moment, with the history.</summary>
public sealed class RenewalTests
{
    [Fact]
    public async Task OldConnection_IsRenewedAtAQuietMoment_WithHistory_AndTheSessionGoesOn()
    {
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.MaxConnectionAge = TimeSpan.FromSeconds(1);
        });
        await harness.Session.SendTextAsync("remember the colour blue", TestContext.Current.CancellationToken);
        await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the first answer");

        await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "a renewed connection");
        await harness.Session.SendTextAsync("what colour?", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Count(t => t.IsFinal && t.Role == TranscriptRole.Assistant) >= 2, "an answer on the new connection");

        Assert.DoesNotContain(outputs, o => o is StateOutput { State: VoiceSessionState.Reconnecting });
        // Sent once as the user's message, and again on the new connection as history.
        Assert.True(harness.Sent("conversation.item.create").Count(e => e.GetProperty("item").GetProperty("role").GetString() == "user"
            && e.GetProperty("item").GetProperty("content")[0].GetProperty("text").GetString() == "remember the colour blue") >= 2);
        Assert.True(harness.Sent("session.update").Count >= 2);
    }
}

/// <summary>What the server is told about the session, as it received it.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task Instructions_HaveLanguageAndModelFilledIn_AndTextOnlyAsksForText()
    {
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.Instructions = "Speak {language}. You are {model}.";
            o.Language = "fr";
            o.AudioOut = false;
            o.InputTranscript = true;
            o.Voice = "marin";
        });

        var session = (await harness.WaitForSentAsync("session.update")).GetProperty("session");

        Assert.Equal("Speak fr. You are gpt-realtime.", session.GetProperty("instructions").GetString());
        Assert.Equal("text", Assert.Single(session.GetProperty("output_modalities").EnumerateArray()).GetString());
        var transcription = session.GetProperty("audio").GetProperty("input").GetProperty("transcription");
        Assert.Equal("fr", transcription.GetProperty("language").GetString());
        Assert.Equal("marin", session.GetProperty("audio").GetProperty("output").GetProperty("voice").GetString());
    }
}
