using V2V.Realtime.Client;
using V2V.Realtime.Protocol;

namespace V2V.Realtime.Tests.Client;

/// <summary>How the options become a URL and handshake headers, or an error naming the option, before any socket.</summary>
public sealed class RealtimeEndpointTests
{
    [Fact]
    public void OpenAI_Default_IsV1RealtimeWithModel_AndBearerKey()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions { ApiKey = "sk-test", Model = "gpt-realtime" });

        Assert.Equal("wss://api.openai.com/v1/realtime?model=gpt-realtime", endpoint.Uri.AbsoluteUri);
        Assert.Contains(endpoint.Headers, h => h.Key == "Authorization" && h.Value == "Bearer sk-test");
        Assert.DoesNotContain(endpoint.Headers, h => h.Key == "OpenAI-Beta");
        Assert.False(endpoint.IsAzurePreview);
        Assert.Equal("gpt-realtime", endpoint.Model);
    }

    [Fact]
    public void Beta_AddsTheBetaHeader_ForAServerThatStillSpeaksIt()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions { BaseUri = new Uri("ws://127.0.0.1:9000"), Model = "m", Dialect = RealtimeDialect.Beta });

        Assert.Contains(endpoint.Headers, h => h.Key == "OpenAI-Beta" && h.Value == "realtime=v1");
    }

    [Fact]
    public void Azure_Default_IsTheGaEndpoint_WithTheDeploymentAsModel_AndTheApiKeyHeader()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure,
            ApiKey = "azure-key",
            BaseUri = new Uri("https://myres.openai.azure.com/"),
            Model = "my-realtime-deployment",
        });

        Assert.Equal("wss://myres.openai.azure.com/openai/v1/realtime?model=my-realtime-deployment", endpoint.Uri.AbsoluteUri);
        Assert.Contains(endpoint.Headers, h => h.Key == "api-key" && h.Value == "azure-key");
        Assert.Null(endpoint.Model); // a deployment's name, not the session's model
        Assert.DoesNotContain(endpoint.Headers, h => h.Key is "Authorization" or "OpenAI-Beta");
        Assert.False(endpoint.IsAzurePreview);
    }

    [Theory]
    [InlineData("https://myres.openai.azure.com/openai/v1/", RealtimeVendor.Azure, "wss://myres.openai.azure.com/openai/v1/realtime?model=d")]
    [InlineData("https://api.openai.com/v1", RealtimeVendor.OpenAI, "wss://api.openai.com/v1/realtime?model=d")]
    public void BaseUriThatIsTheApiRoot_MeansItsRealtimeEndpoint(string baseUri, RealtimeVendor vendor, string expected)
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions { Vendor = vendor, ApiKey = "k", BaseUri = new Uri(baseUri), Model = "d" });

        Assert.Equal(expected, endpoint.Uri.AbsoluteUri);
    }

    [Fact]
    public void Azure_Ga_TakesABearerToken_InsteadOfTheKey()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, BearerToken = "entra-token", BaseUri = new Uri("wss://myres.openai.azure.com"), Model = "d",
        });

        Assert.Contains(endpoint.Headers, h => h.Key == "Authorization" && h.Value == "Bearer entra-token");
        Assert.DoesNotContain(endpoint.Headers, h => h.Key == "api-key");
    }

    [Fact]
    public void Azure_GaPathGivenWhole_KeepsItsModel()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, ApiKey = "k", BaseUri = new Uri("wss://myres.openai.azure.com"),
            Path = "/openai/v1/realtime?model=from-the-path", Model = "ignored",
        });

        Assert.Equal("?model=from-the-path", endpoint.Uri.Query);
    }

    [Fact]
    public void Azure_Preview_IsAccepted_AsDeprecated_KeepingTheDeploymentOfThePath()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure,
            ApiKey = "azure-key",
            BaseUri = new Uri("https://myres.openai.azure.com"),
            Path = "/openai/realtime?api-version=2025-04-01-preview&deployment=my-preview-deployment",
            Model = "ignored-because-the-path-names-a-deployment",
            Dialect = RealtimeDialect.Beta,
        });

        Assert.Equal("wss://myres.openai.azure.com/openai/realtime?api-version=2025-04-01-preview&deployment=my-preview-deployment", endpoint.Uri.AbsoluteUri);
        Assert.Contains(endpoint.Headers, h => h.Key == "api-key" && h.Value == "azure-key");
        Assert.DoesNotContain(endpoint.Headers, h => h.Key == "Authorization");
        Assert.True(endpoint.IsAzurePreview);
    }

    [Fact]
    public void Azure_Preview_TakesTheModelAsDeployment_WhenThePathNamesNone()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, ApiKey = "k", BaseUri = new Uri("wss://x.openai.azure.com"),
            Path = "/openai/realtime?api-version=2025-04-01-preview", Model = "d", Dialect = RealtimeDialect.Beta,
        });

        Assert.Contains("deployment=d", endpoint.Uri.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("model=", endpoint.Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelInThePath_IsNotAddedTwice()
    {
        var endpoint = RealtimeEndpoint.Create(new RealtimeClientOptions { ApiKey = "k", Path = "/v1/realtime?model=a", Model = "b" });

        Assert.Equal("?model=a", endpoint.Uri.Query);
        Assert.Equal("a", endpoint.Model); // the one connected to
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wss://api.openai.com")]
    [InlineData("https://API.OpenAI.com/")]
    public void BetaOnOpenAI_IsRefused_NamingDialect_WithTheReasonAndTheFix(string? baseUri)
    {
        var options = new RealtimeClientOptions
        {
            ApiKey = "sk-test", Model = "gpt-realtime", Dialect = RealtimeDialect.Beta, BaseUri = baseUri is null ? null : new Uri(baseUri),
        };

        var fromEndpoint = Assert.Throws<RealtimeConfigurationException>(() => RealtimeEndpoint.Create(options));
        // The client is refused when it is built: no connection is ever tried.
        var fromClient = Assert.Throws<RealtimeConfigurationException>(() => new RealtimeClient(options));

        foreach (var ex in new[] { fromEndpoint, fromClient })
        {
            Assert.Equal(nameof(RealtimeClientOptions.Dialect), ex.Option);
            Assert.Contains("2026-05-12", ex.Message, StringComparison.Ordinal);
            Assert.Contains("beta_api_shape_disabled", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Dialect to GA", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void BetaOnAzuresGaEndpoint_IsRefused_NamingDialect()
    {
        var ex = Assert.Throws<RealtimeConfigurationException>(() => RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, ApiKey = "k", BaseUri = new Uri("wss://x.openai.azure.com"), Model = "d", Dialect = RealtimeDialect.Beta,
        }));

        Assert.Equal(nameof(RealtimeClientOptions.Dialect), ex.Option);
        Assert.Contains("api-version", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ws://example.com")]
    [InlineData("ftp://example.com")]
    public void UnsafeOrWrongBaseUri_IsRefused_NamingBaseUri(string baseUri)
    {
        var ex = Assert.Throws<RealtimeConfigurationException>(() => RealtimeEndpoint.Create(new RealtimeClientOptions { ApiKey = "k", BaseUri = new Uri(baseUri) }));

        Assert.Equal(nameof(RealtimeClientOptions.BaseUri), ex.Option);
        Assert.Contains("wss://", ex.Message, StringComparison.Ordinal);
        AssertSpeaksTheClientsOwnNames(ex);
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

        Assert.Equal(nameof(RealtimeClientOptions.ApiKey), ex.Option);
        AssertSpeaksTheClientsOwnNames(ex);
    }

    [Fact]
    public void KeyAndTokenBoth_AreRefused_NamingBearerToken()
    {
        var ex = Assert.Throws<RealtimeConfigurationException>(() => RealtimeEndpoint.Create(new RealtimeClientOptions { ApiKey = "k", BearerToken = "t" }));

        Assert.Equal(nameof(RealtimeClientOptions.BearerToken), ex.Option);
    }

    [Fact]
    public void AzureWithoutDeployment_IsRefused_NamingModel()
    {
        var ex = Assert.Throws<RealtimeConfigurationException>(() => RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, ApiKey = "k", BaseUri = new Uri("wss://x.openai.azure.com"),
        }));

        Assert.Equal(nameof(RealtimeClientOptions.Model), ex.Option);
        Assert.Contains("/openai/v1/realtime?model=", ex.Message, StringComparison.Ordinal);
        AssertSpeaksTheClientsOwnNames(ex);
    }

    [Fact]
    public void AzurePathThatIsNeitherGaNorPreview_IsRefused_NamingPath()
    {
        var ex = Assert.Throws<RealtimeConfigurationException>(() => RealtimeEndpoint.Create(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, ApiKey = "k", BaseUri = new Uri("wss://x.openai.azure.com"), Path = "/openai/realtime?deployment=d",
        }));

        Assert.Equal(nameof(RealtimeClientOptions.Path), ex.Option);
        Assert.Contains("/openai/v1/realtime?model=", ex.Message, StringComparison.Ordinal);
        Assert.Contains("api-version", ex.Message, StringComparison.Ordinal);
        AssertSpeaksTheClientsOwnNames(ex);
    }

    [Theory]
    [InlineData(nameof(RealtimeClientOptions.MaxMessageBytes))]
    [InlineData(nameof(RealtimeClientOptions.SendQueueCapacity))]
    [InlineData(nameof(RealtimeClientOptions.ConnectTimeout))]
    public void ClientLimitsOutOfRange_AreRefusedWhenTheClientIsBuilt_NamingTheOption(string option)
    {
        var options = new RealtimeClientOptions { BaseUri = new Uri("ws://127.0.0.1:9000") };
        switch (option)
        {
            case nameof(RealtimeClientOptions.MaxMessageBytes): options.MaxMessageBytes = 10; break;
            case nameof(RealtimeClientOptions.SendQueueCapacity): options.SendQueueCapacity = 0; break;
            default: options.ConnectTimeout = TimeSpan.Zero; break;
        }

        var ex = Assert.Throws<RealtimeConfigurationException>(() => new RealtimeClient(options));

        Assert.Equal(option, ex.Option);
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
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

    // The client's errors speak its options' C# names; the extension and the CLI say them in their own words.
    private static void AssertSpeaksTheClientsOwnNames(RealtimeConfigurationException ex)
    {
        Assert.Contains(ex.Option, ex.Message, StringComparison.Ordinal);
        foreach (var foreign in new[] { "base_uri", "api_key", "${env:", "--" })
        {
            Assert.DoesNotContain(foreign, ex.Message, StringComparison.Ordinal);
        }
    }
}
