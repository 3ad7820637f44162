using System.Net;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Endpoints;

/// <summary>The azure profile: Azure OpenAI's GA endpoint /openai/v1/realtime?model=DEPLOYMENT, api-key or Entra Bearer, GA.</summary>
public sealed class AzureProfileTests
{
    private static Task<LocalRealtimeServer> StartAsync() => Servers.StartAsync(o =>
    {
        o.Profile = ServiceProfile.Azure;
        o.ApiKey = "azure-key";
    });

    [Fact]
    public async Task ApiKeyHeader_AndBearer_AreAccepted_AndSpeakGa_WithTheDeploymentAsModel()
    {
        await using var server = await StartAsync();
        Assert.Equal("/openai/v1/realtime", server.RealtimeUri.AbsolutePath);
        var uri = new Uri(server.RealtimeUri + "?model=my-realtime-deployment");

        await using var byKey = await RealtimeTestClient.ConnectAsync(uri, apiKey: "azure-key");
        await using var byToken = await RealtimeTestClient.ConnectAsync(uri, bearer: "azure-key");

        foreach (var client in new[] { byKey, byToken })
        {
            var session = (await client.NextAsync())["session"]!;
            Assert.Equal("realtime", session.Str("type"));
            Assert.Equal("my-realtime-deployment", session.Str("model"));
        }
    }

    [Fact]
    public async Task WrongKeyOrToken_GetsAzures401()
    {
        await using var server = await StartAsync();
        var uri = new Uri(server.RealtimeUri + "?model=gpt-realtime");

        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeProbe.RefusedStatusAsync(uri, o => o.SetRequestHeader("api-key", "nope")));
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeProbe.RefusedStatusAsync(uri, o => o.SetRequestHeader("Authorization", "Bearer nope")));
        var (status, body) = await HandshakeProbe.ErrorAsync(uri, ("api-key", "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("401", body["error"]!.Str("code"));
        Assert.Null(body["error"]!["type"]);
    }

    [Fact]
    public async Task MissingModel_GetsAzures400_NamingTheParameter()
    {
        await using var server = await StartAsync();

        var (status, body) = await HandshakeProbe.ErrorAsync(server.RealtimeUri, ("api-key", "azure-key"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'model'", body["error"]!.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreviewPath_Gets404_SayingItIsDeprecated_AndNamingTheGaPath()
    {
        await using var server = await StartAsync();
        var uri = new Uri(server.BaseUri + "openai/realtime?api-version=2025-04-01-preview&deployment=gpt-4o-realtime-preview");

        Assert.Equal(HttpStatusCode.NotFound, await HandshakeProbe.RefusedStatusAsync(uri, o => o.SetRequestHeader("api-key", "azure-key")));
        var (_, body) = await HandshakeProbe.ErrorAsync(uri, ("api-key", "azure-key"));
        Assert.Equal("404", body["error"]!.Str("code"));
        var message = body["error"]!.Str("message");
        Assert.Contains("deprecated", message, StringComparison.Ordinal);
        Assert.Contains("/openai/v1/realtime?model=", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiPath_Gets404()
    {
        await using var server = await StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, await HandshakeProbe.RefusedStatusAsync(new Uri(server.BaseUri + "v1/realtime?model=gpt-realtime"), o => o.SetRequestHeader("api-key", "azure-key")));
    }

    [Theory]
    [InlineData("gpt-4o-transcribe", "conversation.item.input_audio_transcription.completed")]
    [InlineData("my-missing-deployment", "conversation.item.input_audio_transcription.failed")]
    public async Task TranscriptionModel_IsADeploymentName_AndAMissingOneFailsEachTurnsTranscription(string model, string outcome)
    {
        await using var server = await StartAsync();
        await using var client = await RealtimeTestClient.ConnectAsync(new Uri(server.RealtimeUri + "?model=gpt-realtime"), apiKey: "azure-key");
        await client.NextAsync();
        var update = Turns.ServerVadTurnTests.VadUpdate(ga: true);
        update["session"]!["audio"]!["input"]!["transcription"]!["model"] = model;
        await client.SendAsync(update);
        await client.UntilAsync("session.updated"); // any name is accepted: Azure cannot know it is missing until it transcribes

        await client.AppendAudioAsync(TestAudio.Turn(300, 800, 400));
        var events = await client.UntilAllAsync("response.done", outcome);

        if (outcome.EndsWith("failed", StringComparison.Ordinal))
        {
            var error = events.OfType(outcome).Single()["error"]!;
            Assert.Equal("DeploymentNotFound", error.Str("code"));
            Assert.Equal(events.OfType("input_audio_buffer.committed").Single().Str("item_id"), events.OfType(outcome).Single().Str("item_id"));
        }

        Assert.Empty(client.Received.SelectMany(Schema.ProtocolSchemaValidator.Ga.Validate));
    }
}
