using System.Net;
using V2V.Playground.Tests.Support;

namespace V2V.Playground.Tests.Security;

/// <summary>Loopback unless told otherwise; anything else needs an access token, given once in the URL and then kept in a cookie.</summary>
public sealed class BindingTests
{
    private const string Token = "a-long-enough-test-token-0123456789";

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://[::]:0")]
    public async Task NonLoopbackBind_WithoutToken_IsRefusedWithAClearMessage(string url)
    {
        var options = new PlaygroundOptions { Environment = _ => null };
        options.Urls.Add(url);

        var error = await Assert.ThrowsAsync<PlaygroundConfigurationException>(() => PlaygroundServer.StartAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains("not a loopback address", error.Message, StringComparison.Ordinal);
        Assert.Contains("--token", error.Message, StringComparison.Ordinal);
        Assert.Contains(PlaygroundOptions.TokenVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortToken_IsRefused()
    {
        var options = new PlaygroundOptions { AccessToken = "1234", Environment = _ => null };
        options.Urls.Add("http://0.0.0.0:0");

        var error = await Assert.ThrowsAsync<PlaygroundConfigurationException>(() => PlaygroundServer.StartAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains("at least 16 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_IsGivenInTheUrlOnce_ThenKeptInACookie()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.AccessToken = Token);
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.Addresses[0] };
        var cancellationToken = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/", cancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/info", cancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/?token=wrong-token-of-some-length", cancellationToken)).StatusCode);

        var first = await client.GetAsync("/?token=" + Token, cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/", first.Headers.Location?.ToString());
        Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", cancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/info", cancellationToken)).StatusCode);
        Assert.Equal(new Uri(server.Addresses[0], "/?token=" + Token), server.PageUrl);
    }

    [Fact]
    public async Task Token_AsBearerHeader_IsAccepted()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.AccessToken = Token);
        using var client = new HttpClient { BaseAddress = server.Addresses[0] };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/info", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task LoopbackWithoutToken_AnswersOnlyToLoopbackHostNames()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers);
        using var client = new HttpClient { BaseAddress = server.Addresses[0] };
        var cancellationToken = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", cancellationToken)).StatusCode);
        // DNS rebinding: a site's own name resolved to 127.0.0.1 arrives with that name in Host.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/info");
        rebound.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await client.SendAsync(rebound, cancellationToken)).StatusCode);
    }
}
