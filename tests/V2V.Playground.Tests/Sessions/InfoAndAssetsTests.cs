using System.Net;
using System.Text.Json;
using V2V.Playground.Tests.Support;

namespace V2V.Playground.Tests.Sessions;

/// <summary>What the page loads: its files from the assembly, with a strict policy, and /api/info without secrets.</summary>
public sealed class InfoAndAssetsTests
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/app.js", "text/javascript")]
    [InlineData("/voice-agent-capture.js", "text/javascript")]
    [InlineData("/voice-agent-played.js", "text/javascript")]
    [InlineData("/player-worklet.js", "text/javascript")]
    [InlineData("/timeline.js", "text/javascript")]
    [InlineData("/transcript.js", "text/javascript")]
    [InlineData("/mcp.js", "text/javascript")]
    [InlineData("/style.css", "text/css")]
    public async Task PageFiles_AreServedFromTheAssembly_WithAContentSecurityPolicy(string path, string contentType)
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);
        using var client = new HttpClient { BaseAddress = server.Addresses[0] };

        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_SaysTheBackend_AndNeverTheKey()
    {
        const string key = "sk-never-shown-0123456789abcdef";
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            o.ExtensionProperties["api_key"] = "${env:TEST_KEY}";
            o.ExtensionProperties["model"] = "gpt-realtime-mini";
            o.Environment = name => name == "TEST_KEY" ? key : null;
        });
        using var client = new HttpClient { BaseAddress = server.Addresses[0] };

        var body = await client.GetStringAsync("/api/info", TestContext.Current.CancellationToken);

        var info = JsonDocument.Parse(body).RootElement;
        Assert.Equal("openai", info.GetProperty("backend").GetString());
        Assert.Equal("gpt-realtime-mini", info.GetProperty("model").GetString());
        Assert.Equal("api.openai.com", info.GetProperty("endpoint").GetString());
        Assert.DoesNotContain(key, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_IsNamedAsTheBackend()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            o.ExtensionProperties["api_key"] = "azure-key-0123456789";
            o.ExtensionProperties["vendor"] = "azure";
            o.ExtensionProperties["base_uri"] = "wss://my-resource.openai.azure.com";
            o.ExtensionProperties["path"] = "/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime-preview";
        });

        Assert.Equal("azure", server.Backend.Kind);
        Assert.Equal("my-resource.openai.azure.com", server.Backend.Endpoint);
        Assert.Contains("Azure OpenAI", server.Backend.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadServerProperty_IsReportedAtStartup_NamingIt()
    {
        using var loggers = TestLogging.Create();
        var error = await Assert.ThrowsAsync<PlaygroundConfigurationException>(() =>
            LocalPlayground.StartAsync(loggers, o => o.ExtensionProperties["sample_rat"] = 16000));

        Assert.Contains("sample_rat", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("idle_timeout_ms", 2000, "IdleTimeout must be 5 to 30 s")]
    [InlineData("vad_threshold", 5, "VadThreshold must be 0 to 1")]
    public async Task AServerValueOutOfRange_IsReportedAtStartup_NotAtEverySession(string property, int value, string why)
    {
        using var loggers = TestLogging.Create();
        var error = await Assert.ThrowsAsync<PlaygroundConfigurationException>(() =>
            LocalPlayground.StartAsync(loggers, o => o.ExtensionProperties[property] = value));

        Assert.Contains($"'{property}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
