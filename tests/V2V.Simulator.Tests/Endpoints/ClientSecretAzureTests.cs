using System.Net;
using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Endpoints;

/// <summary>Client secrets on Azure's GA profile (<c>/openai/v1/realtime/client_secrets</c>, api-key), and their absence on the preview one.</summary>
public sealed class ClientSecretAzureTests
{
    [Fact]
    public async Task OnAzure_TheApiKeyMints_AndTheEkOpensASession_WithoutAModelQuery_WhenTheSecretNamesIt()
    {
        await using var server = await Servers.StartAsync(o =>
        {
            o.Profile = ServiceProfile.Azure;
            o.ApiKey = "azure-key";
        });
        var uri = ClientSecretProbe.UriOf(server);
        Assert.Equal("/openai/v1/realtime/client_secrets", uri.AbsolutePath);
        var request = """{"session":{"type":"realtime","model":"my-deployment","instructions":"Be brief."}}""";

        var minted = await ClientSecretProbe.SendAsync(HttpMethod.Post, uri, request, headers: ("api-key", "azure-key"));
        var wrongKey = await ClientSecretProbe.SendAsync(HttpMethod.Post, uri, request, headers: ("api-key", "nope"));

        Assert.Equal(HttpStatusCode.OK, minted.Status);
        Assert.Equal((HttpStatusCode.Unauthorized, "401"), (wrongKey.Status, wrongKey.Error.Str("code")));
        Assert.Null(wrongKey.Error["type"]);
        var ek = minted.Body.Str("value");
        await using var client = await RealtimeTestClient.ConnectAsync(server.RealtimeUri, apiKey: ek);
        var session = (await client.NextAsync())["session"]!;
        Assert.Equal(("my-deployment", "Be brief."), (session.Str("model"), session.Str("instructions")));

        var unknown = await HandshakeProbe.ErrorAsync(new Uri(server.RealtimeUri + "?model=my-deployment"), ("api-key", "ek_00000000000000000000000000000000"));
        Assert.Equal((HttpStatusCode.Unauthorized, "401"), (unknown.Status, unknown.Body["error"]!.Str("code")));
    }

    [Fact]
    public async Task OnAzure_AnInvalidField_Gets400_InAzuresShape_NamingTheParam()
    {
        await using var server = await Servers.StartAsync(o => o.Profile = ServiceProfile.Azure);

        var answer = await ClientSecretProbe.SendAsync(HttpMethod.Post, ClientSecretProbe.UriOf(server), """{"session":{"type":"realtime","audio":{"output":{"voice":"nova"}}}}""", headers: ("api-key", "any"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("invalid_value", answer.Error.Str("code"));
        Assert.Contains("'session.audio.output.voice'", answer.Error.Str("message"), StringComparison.Ordinal);
        Assert.Null(answer.Error["param"]);
    }

    [Theory]
    [InlineData("/openai/realtime")]
    [InlineData("/openai/v1/realtime")]
    [InlineData("/v1/realtime")]
    public async Task OnAzurePreview_EveryClientSecretsPath_Gets404_NamingTheProfile(string realtimePath)
    {
        await using var server = await Servers.StartAsync(o => o.Profile = ServiceProfile.AzurePreview);

        var answer = await ClientSecretProbe.SendAsync(HttpMethod.Post, ClientSecretProbe.At(server, realtimePath), "{}", headers: ("api-key", "any"));

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("404", answer.Error.Str("code"));
        Assert.Contains("'azure-preview' profile", answer.Error.Str("message"), StringComparison.Ordinal);
        Assert.Contains("no client secrets", answer.Error.Str("message"), StringComparison.Ordinal);
    }
}
