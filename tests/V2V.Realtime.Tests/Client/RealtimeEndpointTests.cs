using V2V.Realtime.Client;
using V2V.Realtime.Protocol;

namespace V2V.Realtime.Tests.Client;

public sealed class RealtimeEndpointTests
{
    [Fact]
    public void OpenAI_Default_IsV1RealtimeWithModel_AndBearerKey()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions { ApiKey = "sk-test", Model = "gpt-realtime" });

        Assert.Equal("wss://api.openai.com/v1/realtime?model=gpt-realtime", endpoint.Uri.AbsoluteUri);
        Assert.Contains(endpoint.Headers, h => h.Key == "Authorization" && h.Value == "Bearer sk-test");
        Assert.DoesNotContain(endpoint.Headers, h => h.Key == "OpenAI-Beta");
    }

    [Fact]
    public void Beta_AddsTheBetaHeader()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions { ApiKey = "k", Model = "m", Dialect = RealtimeDialect.Beta });

        Assert.Contains(endpoint.Headers, h => h.Key == "OpenAI-Beta" && h.Value == "realtime=v1");
    }

    [Fact]
    public void Azure_UsesApiKeyHeader_AndKeepsTheDeploymentOfThePath()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure,
            ApiKey = "azure-key",
            BaseUri = new Uri("https://myres.openai.azure.com"),
            Path = "/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime-preview",
            Model = "ignored-because-the-path-names-a-deployment",
        });

        Assert.Equal("wss://myres.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime-preview", endpoint.Uri.AbsoluteUri);
        Assert.Contains(endpoint.Headers, h => h.Key == "api-key" && h.Value == "azure-key");
        Assert.DoesNotContain(endpoint.Headers, h => h.Key == "Authorization");
    }

    [Fact]
    public void ModelInThePath_IsNotAddedTwice()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions { ApiKey = "k", Path = "/v1/realtime?model=a", Model = "b" });

        Assert.Equal("?model=a", endpoint.Uri.Query);
    }

    [Theory]
    [InlineData("ws://example.com", "base_uri")]
    [InlineData("ftp://example.com", "base_uri")]
    public void UnsafeOrWrongBaseUri_IsRefused_NamingBaseUri(string baseUri, string property)
    {
        var ex = Assert.Throws<RealtimeConfigurationException>(() => RealtimeEndpoint.Create(new RealtimeClientOptions { ApiKey = "k", BaseUri = new Uri(baseUri) }));

        Assert.Equal(property, ex.PropertyName);
        Assert.Contains("wss://", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ws://127.0.0.1:9000")]
    [InlineData("ws://localhost:9000")]
    [InlineData("ws://[::1]:9000")]
    public void PlainWs_IsAllowedForLoopback_WithoutKey(string baseUri)
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions { BaseUri = new Uri(baseUri), Model = "local" });

        Assert.Equal("ws", endpoint.Uri.Scheme);
        Assert.Empty(endpoint.Headers);
    }

    [Fact]
    public void RemoteEndpointWithoutKey_IsRefused_NamingApiKey()
    {
        var ex = Assert.Throws<RealtimeConfigurationException>(() => RealtimeEndpoint.Create(new RealtimeClientOptions()));

        Assert.Equal("api_key", ex.PropertyName);
    }

    [Fact]
    public void AzureWithoutApiVersion_IsRefused_NamingPath()
    {
        var ex = Assert.Throws<RealtimeConfigurationException>(() => RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, ApiKey = "k", BaseUri = new Uri("wss://x.openai.azure.com"), Path = "/openai/realtime?deployment=d",
        }));

        Assert.Equal("path", ex.PropertyName);
        Assert.Contains("api-version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DisplayUrl_HidesKeysInTheQuery()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, ApiKey = "k", BaseUri = new Uri("wss://x.openai.azure.com"),
            Path = "/openai/realtime?api-version=1&deployment=d&api-key=secret-in-query",
        });

        Assert.DoesNotContain("secret-in-query", endpoint.DisplayUrl, StringComparison.Ordinal);
        Assert.Contains("api-key=***", endpoint.DisplayUrl, StringComparison.Ordinal);
    }
}
