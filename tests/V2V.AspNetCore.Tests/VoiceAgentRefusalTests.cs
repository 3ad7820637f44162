using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using V2V.AspNetCore.Tests.Support;

namespace V2V.AspNetCore.Tests;

/// <summary>What the endpoint refuses, and how it says so: each refusal named, the socket closed with its code, the key never shown.</summary>
public sealed class VoiceAgentRefusalTests
{
    [Theory]
    [InlineData("{\"type\":\"start\",\"sampleRate\":1000}", "'sampleRate' is 1000")]
    [InlineData("{\"type\":\"start\"}", "'sampleRate' must be")]
    [InlineData("{\"type\":\"start\",\"sampleRate\":16000,\"reportsPlayed\":\"yes\"}", "'reportsPlayed'")]
    [InlineData("{\"type\":\"text\",\"text\":\"hi\"}", "the first message must be")]
    [InlineData("[1,2]", "JSON object")]
    public async Task ABadStart_IsAFatalErrorNamingTheField_AndClosesThePolicyWay(string first, string named)
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.SendTextAsync(first);

        var error = await page.NextAsync("error");
        Assert.Equal(("bad_start", true), ((string?)error["code"], (bool)error["fatal"]!));
        Assert.Contains(named, (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await page.ClosedAsync());
    }

    [Fact]
    public async Task AudioBeforeStart_IsABadStart()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.SendAudioAsync(new byte[640]);

        var error = await page.NextAsync("error");
        Assert.Equal("bad_start", (string?)error["code"]);
        Assert.Contains("audio came before 'start'", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await page.ClosedAsync());
    }

    [Fact]
    public async Task NoStartInTime_IsStartTimeout()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o => o.StartTimeout = TimeSpan.FromMilliseconds(300));
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);

        var error = await page.NextAsync("error");
        Assert.Equal(("start_timeout", true), ((string?)error["code"], (bool)error["fatal"]!));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await page.ClosedAsync());
    }

    [Fact]
    public async Task ASessionBeyondMaxSessions_IsToldFull_AndTheFirstGoesOn()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o => o.MaxSessions = 1);
        await using var first = await PageClient.ConnectAsync(app.VoiceUri);
        await first.StartAsync(16000);
        await first.NextAsync("ready");
        await using var second = await PageClient.ConnectAsync(app.VoiceUri);
        await second.StartAsync(16000);

        var error = await second.NextAsync("error");
        Assert.Equal("full", (string?)error["code"]);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await second.ClosedAsync());
        await first.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Still mine?" });
        Assert.Contains("Still mine?", (await first.NextAnswerAsync("the first page's answer")).Text, StringComparison.Ordinal);

        // Its slot is given back when it ends: a new page gets a session.
        await first.SendJsonAsync(new JsonObject { ["type"] = "stop" });
        await first.ClosedAsync();
        await using var third = await PageClient.ConnectAsync(app.VoiceUri);
        await third.StartAsync(16000);
        await third.NextAsync("ready");
    }

    [Fact]
    public async Task ASessionThatCannotStart_SaysWhy_WithoutTheKey()
    {
        await using var app = await VoiceAgentApp.StartAsync(serverKey: "sk-the-server-takes-another-key");
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.StartAsync(16000);

        var error = await page.NextAsync("error");
        Assert.Equal(("start_failed", true), ((string?)error["code"], (bool)error["fatal"]!));
        Assert.Contains("could not start", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, await page.ClosedAsync());
        Assert.DoesNotContain(page.Texts, t => t.Contains(VoiceAgentApp.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Collector.GetSnapshot(), r => r.Message.Contains(VoiceAgentApp.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASessionThatFailsMidConversation_TellsThePageWhy_ClosesTheSocket_AndFreesItsSlot()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o => o.MaxSessions = 1);
        await using var page = await PageClient.ConnectAsync(app.VoiceUri);
        await page.StartAsync(16000);
        await page.NextAsync("ready");

        // The connection is lost at the server's next event, and the key is refused from then on: the session cannot go on.
        var faults = app.Server.Options.Faults;
        faults.RefuseHandshakeStatusCode = 401;
        faults.AbortInsteadOfClose = true;
        faults.CloseConnections = 1;
        faults.CloseAfterEvents = 0;
        await page.SendJsonAsync(new JsonObject { ["type"] = "text", ["text"] = "Hello?" });

        var error = await page.NextAsync(m => (string?)m["type"] == "error" && (bool)m["fatal"]!, "the session's fatal error");
        Assert.Equal(WebSocketCloseStatus.InternalServerError, await page.ClosedAsync());
        Assert.DoesNotContain(VoiceAgentApp.ApiKey, (string?)error["message"], StringComparison.Ordinal);
        faults.RefuseHandshakeStatusCode = null;
        await using var next = await PageClient.ConnectAsync(app.VoiceUri);
        await next.StartAsync(16000);
        await next.NextAsync("ready"); // the failed session's slot was given back
        Assert.DoesNotContain(app.Logs.Collector.GetSnapshot(), r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error && r.Category?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task TheAppStopping_TellsItsPagesShuttingDown_AndCloses1001()
    {
        var app = await VoiceAgentApp.StartAsync();
        await using (app)
        {
            await using var page = await PageClient.ConnectAsync(app.VoiceUri);
            await page.StartAsync(16000);
            await page.NextAsync("ready");

            var stopping = app.App.StopAsync(TestContext.Current.CancellationToken);
            var error = await page.NextAsync("error");
            Assert.Equal(("shutting_down", true), ((string?)error["code"], (bool)error["fatal"]!));
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await page.ClosedAsync());
            await stopping;
        }
    }

    [Fact]
    public async Task APageOfAnotherOrigin_IsRefused403_OneAllowedByName_IsLetIn()
    {
        await using var app = await VoiceAgentApp.StartAsync(endpoint: o => o.AllowedOrigins.Add("https://app.example.com"));

        var foreign = await Assert.ThrowsAsync<WebSocketException>(() => PageClient.ConnectAsync(app.VoiceUri, origin: "https://evil.example.com"));
        Assert.Contains("403", foreign.Message, StringComparison.Ordinal);
        await using var allowed = await PageClient.ConnectAsync(app.VoiceUri, origin: "https://app.example.com");
        await using var own = await PageClient.ConnectAsync(app.VoiceUri, origin: $"http://{app.BaseUri.Authority}");
        await allowed.StartAsync(16000);
        await allowed.NextAsync("ready");
    }

    [Fact]
    public async Task APlainRequest_IsTold400ToUseAWebSocket_AndAnAppWithoutUseWebSockets_IsToldToCallIt()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        var plain = await http.GetAsync("/voice", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("WebSocket", await plain.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        await using var bare = await VoiceAgentApp.StartAsync(useWebSockets: false);
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => PageClient.ConnectAsync(bare.VoiceUri));
        Assert.Contains("500", refused.Message, StringComparison.Ordinal);
        using var bareHttp = new HttpClient { BaseAddress = bare.BaseUri };
        using var upgrade = new HttpRequestMessage(HttpMethod.Get, "/voice");
        upgrade.Headers.Connection.Add("Upgrade");
        upgrade.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        var told = await bareHttp.SendAsync(upgrade, TestContext.Current.CancellationToken);
        Assert.Contains("app.UseWebSockets()", await told.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBrowserClient_IsServedBesideTheEndpoint_Revalidated()
    {
        await using var app = await VoiceAgentApp.StartAsync();
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        foreach (var name in new[] { "voice-agent.js", "voice-agent-capture.js", "voice-agent-player.js", "voice-agent-played.js" })
        {
            var file = await http.GetAsync($"/voice/{name}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal("text/javascript", file.Content.Headers.ContentType?.MediaType);
            Assert.True(file.Headers.CacheControl?.NoCache);
            using var again = new HttpRequestMessage(HttpMethod.Get, $"/voice/{name}");
            again.Headers.IfNoneMatch.Add(file.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again, TestContext.Current.CancellationToken)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/voice/PROTOCOL.md", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public void BadEndpointOptions_AreRefusedAtMapping_Named()
    {
        var origin = new VoiceAgentEndpointOptions();
        origin.AllowedOrigins.Add("https://app.example.com/");
        Assert.Contains("AllowedOrigins", Assert.Throws<ArgumentException>(origin.Validate).Message, StringComparison.Ordinal);
        Assert.Equal("MaxSessions", Assert.Throws<ArgumentOutOfRangeException>(new VoiceAgentEndpointOptions { MaxSessions = 0 }.Validate).ParamName);
        Assert.Equal("StartTimeout", Assert.Throws<ArgumentOutOfRangeException>(new VoiceAgentEndpointOptions { StartTimeout = TimeSpan.Zero }.Validate).ParamName);
    }
}
