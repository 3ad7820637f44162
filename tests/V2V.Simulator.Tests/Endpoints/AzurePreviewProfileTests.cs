using System.Net;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Endpoints;

/// <summary>The azure-preview profile: Azure's deprecated /openai/realtime?api-version&amp;deployment, api-key header, beta.</summary>
public sealed class AzurePreviewProfileTests
{
    private static Task<LocalRealtimeServer> StartAsync() => Servers.StartAsync(o =>
    {
        o.Profile = ServiceProfile.AzurePreview;
        o.ApiKey = "azure-key";
    });

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // clients of this endpoint often send no OpenAI-Beta header: it speaks beta all the same
    public async Task SpeaksBeta_WithOrWithoutTheBetaHeader(bool betaHeader)
    {
        await using var server = await StartAsync();
        Assert.Equal("/openai/realtime", server.RealtimeUri.AbsolutePath);

        await using var client = await RealtimeTestClient.ConnectAsync(server.ExampleUri, beta: betaHeader, apiKey: "azure-key");
        var session = (await client.NextAsync())["session"]!;

        Assert.Equal("gpt-4o-realtime-preview", session.Str("model"));
        Assert.Equal("pcm16", session.Str("input_audio_format"));
        Assert.NotNull(session["modalities"]);
        Assert.Null(session["type"]);
        Assert.Null(session["audio"]);
    }

    [Fact]
    public async Task WrongKey_Gets401()
    {
        await using var server = await StartAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeProbe.RefusedStatusAsync(server.ExampleUri, o => o.SetRequestHeader("api-key", "nope")));
    }

    [Theory]
    [InlineData("openai/realtime?api-version=2025-04-01-preview", "deployment")]
    [InlineData("openai/realtime?deployment=gpt-4o-realtime-preview", "api-version")]
    public async Task MissingQueryParameter_Gets404_NamingIt(string pathAndQuery, string missing)
    {
        await using var server = await StartAsync();

        var (status, body) = await HandshakeProbe.ErrorAsync(new Uri(server.BaseUri + pathAndQuery), ("api-key", "azure-key"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains($"'{missing}'", body["error"]!.Str("message"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1/realtime?model=gpt-realtime")]
    [InlineData("openai/v1/realtime?model=gpt-realtime")]
    public async Task GaPaths_Get404_AzureShaped(string pathAndQuery)
    {
        await using var server = await StartAsync();
        var uri = new Uri(server.BaseUri + pathAndQuery);

        Assert.Equal(HttpStatusCode.NotFound, await HandshakeProbe.RefusedStatusAsync(uri, o => o.SetRequestHeader("api-key", "azure-key")));
        var (_, body) = await HandshakeProbe.ErrorAsync(uri, ("api-key", "azure-key"));
        Assert.Equal("404", body["error"]!.Str("code"));
        Assert.Contains("'azure-preview' profile", body["error"]!.Str("message"), StringComparison.Ordinal);
    }
}
