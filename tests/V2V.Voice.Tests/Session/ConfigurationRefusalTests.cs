using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Simulator;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// The service refuses a <c>session.update</c> it cannot apply with an <c>error</c> naming the update's event id, and
/// then runs on its defaults (no instructions, no tools). A session must not: a refused configuration ends its start
/// with the service's words and the parameter, and ends a session whose reconnect is refused.
/// </summary>
public sealed class ConfigurationRefusalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, RealtimeDialect, string, string> SettingsTheServiceRefuses => new()
    {
        // Each passes the options' own checks; the local server refuses it as the service does.
        { nameof(VoiceSessionOptions.TranscriptionModel), RealtimeDialect.GA, "session.audio.input.transcription.model", "my-transcriber" },
        { nameof(VoiceSessionOptions.MaxTokens), RealtimeDialect.GA, "session.max_output_tokens", "4097" },
        { nameof(VoiceSessionOptions.Temperature), RealtimeDialect.Beta, "session.temperature", "0.3" },
    };

    [Theory]
    [MemberData(nameof(SettingsTheServiceRefuses))]
    public async Task RefusedConfiguration_FailsTheStart_WithTheServicesMessage_AndTheParameter(string option, RealtimeDialect dialect, string param, string value)
    {
        var beta = dialect == RealtimeDialect.Beta;
        await using var server = await LocalRealtimeServer.StartAsync(
            new LocalRealtimeServerOptions { SpeedFactor = 20, Profile = beta ? ServiceProfile.AzurePreview : ServiceProfile.OpenAi }, Ct);
        var options = new VoiceSessionOptions
        {
            Connection = new() { BaseUri = server.BaseUri, Model = "gpt-realtime", Dialect = dialect, Path = beta ? server.ExampleUri.PathAndQuery : null },
            PaceOutput = false,
        };
        switch (option)
        {
            case nameof(VoiceSessionOptions.TranscriptionModel):
                options.InputTranscript = true;
                options.TranscriptionModel = value;
                break;
            case nameof(VoiceSessionOptions.MaxTokens):
                options.MaxTokens = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                options.Temperature = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
        }

        var refused = await Assert.ThrowsAsync<VoiceSessionConfigurationException>(() => VoiceSession.StartAsync(options, cancellationToken: Ct));

        Assert.Equal(param, refused.Param);
        Assert.Equal(option, refused.Option);
        Assert.NotNull(refused.Code);
        Assert.Contains(param, refused.Message, StringComparison.Ordinal);
        Assert.Contains(option, refused.Message, StringComparison.Ordinal);
        Assert.Contains(value, refused.Message, StringComparison.Ordinal); // the service's own words name the value
    }

    [Fact]
    public async Task RefusedConfiguration_InAnErrorNamingNoEvent_StillFailsTheStart_WithTheServicesMessage()
    {
        // The service does not always say which event it refuses: an error naming a session parameter while the
        // configuration is unanswered is its refusal, not a wait until the connect timeout.
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 20, Faults = { ErrorsNameNoEvent = true } }, Ct);
        var options = new VoiceSessionOptions
        {
            Connection = new() { BaseUri = server.BaseUri, Model = "gpt-realtime", ConnectTimeout = TimeSpan.FromMinutes(5) },
            PaceOutput = false,
            MaxTokens = 4097,
        };

        var refused = await Assert.ThrowsAsync<VoiceSessionConfigurationException>(() => VoiceSession.StartAsync(options, cancellationToken: Ct));

        Assert.Equal("session.max_output_tokens", refused.Param);
        Assert.Equal(nameof(VoiceSessionOptions.MaxTokens), refused.Option);
        Assert.Contains("4097", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigurationRefusedOnAReconnect_EndsTheSession_WithOneFatalErrorNamingTheSetting()
    {
        VoiceSessionOptions? options = null;
        LocalRealtimeServerOptions? server = null;
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.InputTranscript = true;
            options = o;
            o.Client = new OnSecondConnection(o.Connection, () =>
            {
                // What the service accepted an hour ago it refuses now (a model retired, say): the new connection's update is refused.
                options!.TranscriptionModel = "my-transcriber";
                server!.Faults.CloseAfterEvents = null;
            });
        }, s =>
        {
            server = s;
            s.Faults.CloseAfterEvents = 2; // session.created, session.updated: then the first connection drops
        });

        var outputs = await harness.WaitForAsync(o => o.OfType<StateOutput>().Any(s => s.State == VoiceSessionState.Stopped), "the session to stop");

        var fatal = Assert.Single(outputs.OfType<ErrorOutput>());
        Assert.True(fatal.Fatal);
        Assert.Contains("session.audio.input.transcription.model", fatal.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(VoiceSessionOptions.TranscriptionModel), fatal.Message, StringComparison.Ordinal);
        Assert.Equal(2, harness.Sent("session.update").Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Session.SendTextAsync("again", Ct));
    }

    /// <summary>A realtime client that runs <paramref name="change"/> before it opens its second connection.</summary>
    private sealed class OnSecondConnection(RealtimeClientOptions options, Action change) : RealtimeClient(options)
    {
        private int _connections;

        public override Task<IRealtimeConnection> ConnectAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _connections) == 2)
            {
                change();
            }
            return base.ConnectAsync(cancellationToken);
        }
    }
}
