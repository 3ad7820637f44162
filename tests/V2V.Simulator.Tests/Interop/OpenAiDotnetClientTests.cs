using System.ClientModel;
using OpenAI.Realtime;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Interop;

/// <summary>
/// A client written by others: the official OpenAI .NET library (2.15.0), which speaks the GA dialect only.
/// It connects, configures the session, streams audio, and gets its audio back.
/// </summary>
public sealed class OpenAiDotnetClientTests
{
    /// <remarks>
    /// On the azure profile the library reaches Azure's GA path by its endpoint (<c>/openai/v1</c>) and authenticates
    /// with its Bearer header, as with an Entra ID token. The service's own timing (faster than real time, transcription
    /// and cancels delayed) is on: the library must cope with what the services send.
    /// </remarks>
    [Theory]
    [InlineData(ServiceProfile.OpenAi, "/v1")]
    [InlineData(ServiceProfile.Azure, "/openai/v1")]
    public async Task OfficialLibrary_ConfiguresTheSession_SendsAudio_AndHearsItBack(ServiceProfile profile, string endpointPath)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await Servers.StartAsync(o =>
        {
            o.ApiKey = "sk-local";
            o.Profile = profile;
            o.SpeedFactor = 1;
        });
        var client = new RealtimeClient(new ApiKeyCredential("sk-local"), new RealtimeClientOptions { Endpoint = new Uri(server.BaseUri, endpointPath) });
        using var session = await client.StartConversationSessionAsync("gpt-realtime", cancellationToken: ct);

        await session.ConfigureConversationSessionAsync(new RealtimeConversationSessionOptions { Instructions = "Echo, please." }, ct);
        var speech = TestAudio.Turn(300, 900, 700);
        await session.SendInputAudioAsync(BinaryData.FromBytes(speech), ct);

        var instructions = string.Empty;
        var audioBytes = 0;
        var speechStarted = false;
        RealtimeResponse? done = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        await foreach (var update in session.ReceiveUpdatesAsync(timeout.Token))
        {
            switch (update)
            {
                case RealtimeServerUpdateSessionUpdated updated:
                    instructions = updated.Session is RealtimeConversationSession s ? s.Instructions : instructions;
                    break;
                case RealtimeServerUpdateInputAudioBufferSpeechStarted:
                    speechStarted = true;
                    break;
                case RealtimeServerUpdateResponseOutputAudioDelta delta:
                    audioBytes += delta.Delta.ToArray().Length;
                    break;
                case RealtimeServerUpdateResponseDone responseDone:
                    done = responseDone.Response;
                    break;
            }

            if (done is not null)
            {
                break;
            }
        }

        Assert.Equal("Echo, please.", instructions);
        Assert.True(speechStarted);
        Assert.Equal(RealtimeResponseStatus.Completed, done!.Status);
        // The default VAD turn: 300 ms prefix padding + 900 ms of speech + the default 500 ms of silence.
        Assert.Equal((900 + 300 + 500) * 24 * 2, audioBytes);
    }
}
