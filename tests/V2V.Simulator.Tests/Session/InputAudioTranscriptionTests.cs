using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Session;

/// <summary>A user turn's transcription, decided without a socket: which events, in which dialect, after which delay.</summary>
public sealed class InputAudioTranscriptionTests
{
    [Fact]
    public void IsOff_UntilTheSessionAsksForATranscriptionModel()
    {
        var config = Config(DialectProfile.Ga);
        var transcription = new InputAudioTranscription(config, new LocalRealtimeServerOptions());
        Assert.False(transcription.IsOn);

        Apply(config, """{"type":"realtime","audio":{"input":{"transcription":{"model":"whisper-1"}}}}""");

        Assert.True(transcription.IsOn);
    }

    [Fact]
    public void ATranscribedTurn_IsADeltaThenCompleted_WithItsDurationAsUsage_AndThePartKeepsTheTranscript()
    {
        var (transcription, part, _) = Transcription(DialectProfile.Ga, new LocalRealtimeServerOptions());

        var events = transcription.Transcribe("item_1", part);

        Assert.Equal(["conversation.item.input_audio_transcription.delta", "conversation.item.input_audio_transcription.completed"], events.Select(e => e.Type()));
        Assert.Equal("[1.50 s of speech]", events[0].Str("delta"));
        Assert.Equal("[1.50 s of speech]", events[1].Str("transcript"));
        Assert.Equal("item_1", events[1].Str("item_id"));
        Assert.Equal(1.5, events[1]["usage"]!["seconds"]!.GetValue<double>());
        Assert.Equal("[1.50 s of speech]", part.Transcript);
    }

    [Fact]
    public void ATurnOfSilence_CompletesEmpty_WithNoDelta()
    {
        var (transcription, part, _) = Transcription(DialectProfile.Ga, new LocalRealtimeServerOptions());
        part.Audio = new short[1500 * TestAudio.SamplesPerMs];

        var completed = Assert.Single(transcription.Transcribe("item_1", part));

        Assert.Equal("conversation.item.input_audio_transcription.completed", completed.Type());
        Assert.Equal("", completed.Str("transcript"));
        Assert.Equal(1.5, completed["usage"]!["seconds"]!.GetValue<double>());
        Assert.Equal("", part.Transcript);
    }

    [Fact]
    public void InBeta_CompletedHasNoUsage()
    {
        var (transcription, part, _) = Transcription(DialectProfile.Beta, new LocalRealtimeServerOptions());

        var completed = transcription.Transcribe("item_1", part)[^1];

        Assert.False(completed.ContainsKey("usage"));
    }

    [Fact]
    public void OnAzure_AModelThatIsNoDeployment_FailsTheTurn_WithDeploymentNotFound()
    {
        var options = new LocalRealtimeServerOptions { Profile = ServiceProfile.Azure };
        var (transcription, part, _) = Transcription(DialectProfile.Ga, options, model: "whisper-typo");

        var failed = Assert.Single(transcription.Transcribe("item_1", part));

        Assert.Equal("conversation.item.input_audio_transcription.failed", failed.Type());
        Assert.Equal("DeploymentNotFound", failed["error"]!.Str("code"));
        Assert.True(failed["error"]!.AsObject().ContainsKey("param"));
        Assert.Null(part.Transcript);
    }

    [Fact]
    public void OnAzure_TheModelIsReadWhenTheTranscriptionRuns()
    {
        var options = new LocalRealtimeServerOptions { Profile = ServiceProfile.Azure };
        var (transcription, part, config) = Transcription(DialectProfile.Ga, options, model: "whisper-typo");

        Apply(config, """{"type":"realtime","audio":{"input":{"transcription":{"model":"whisper"}}}}""", azure: true);

        Assert.Equal("conversation.item.input_audio_transcription.completed", transcription.Transcribe("item_1", part)[^1].Type());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheFailTranscriptionsFault_FailsEveryTurn_WithoutAParamInBeta(bool ga)
    {
        var options = new LocalRealtimeServerOptions { Faults = { FailTranscriptions = true } };
        var (transcription, part, _) = Transcription(ga ? DialectProfile.Ga : DialectProfile.Beta, options);

        var failed = Assert.Single(transcription.Transcribe("item_1", part));

        Assert.Equal("audio_unintelligible", failed["error"]!.Str("code"));
        Assert.Equal(ga, failed["error"]!.AsObject().ContainsKey("param"));
    }

    [Theory]
    [InlineData(1, 400)]
    [InlineData(20, 20)]
    [InlineData(0, 0)]
    public void TheDelay_IsTheServicesOnTheServersClock(double speedFactor, int expectedMs)
    {
        var options = new LocalRealtimeServerOptions { SpeedFactor = speedFactor };

        var transcription = new InputAudioTranscription(Config(DialectProfile.Ga), options);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), transcription.Delay);
    }

    private static (InputAudioTranscription Transcription, ContentPart Part, SessionConfig Config) Transcription(DialectProfile profile, LocalRealtimeServerOptions options, string model = "whisper-1")
    {
        var config = Config(profile);
        var transcription = new JsonObject { ["model"] = model };
        var session = profile.IsGa
            ? new JsonObject { ["type"] = "realtime", ["audio"] = new JsonObject { ["input"] = new JsonObject { ["transcription"] = transcription } } }
            : new JsonObject { ["input_audio_transcription"] = transcription };
        Apply(config, session.ToJsonString(), azure: options.Profile == ServiceProfile.Azure);
        var part = new ContentPart { Kind = ContentKind.InputAudio, Audio = TestAudio.TurnSamples(0, 1500, 0) };
        return (new InputAudioTranscription(config, options), part, config);
    }

    private static SessionConfig Config(DialectProfile profile) => new(profile, null, DateTimeOffset.UnixEpoch);

    private static void Apply(SessionConfig config, string session, bool azure = false)
    {
        using var json = JsonDocument.Parse(session);
        Assert.Null(config.Apply(json.RootElement, assistantAudioSent: false, azure));
    }
}
