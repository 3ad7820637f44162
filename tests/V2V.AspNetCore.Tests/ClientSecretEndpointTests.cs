using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.AspNetCore.Tests.Support;
using V2V.Realtime.Client;

namespace V2V.AspNetCore.Tests;

/// <summary><c>MapRealtimeClientSecrets</c>: the app's server makes ephemeral keys with its key, for clients that must not hold it.</summary>
public sealed class ClientSecretEndpointTests
{
    [Fact]
    public async Task APost_MakesAKey_WithTheRegisteredConnection_ThatOpensASessionConfiguredPerRequest()
    {
        await using var app = await VoiceAgentApp.StartAsync(secrets: o =>
        {
            o.ExpiresAfter = TimeSpan.FromMinutes(5);
            o.ConfigureSecret = (http, secret, _) =>
            {
                secret.Session = new JsonObject { ["instructions"] = $"You help {http.Request.Headers["X-User"]}." };
                return ValueTask.CompletedTask;
            };
        });
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/realtime-key");
        request.Headers.Add("X-User", "Ada");
        var answer = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.True(answer.Headers.CacheControl?.NoStore);
        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var key = body.RootElement.GetProperty("value").GetString()!;
        Assert.StartsWith("ek_", key, StringComparison.Ordinal);
        Assert.Equal("gpt-realtime", body.RootElement.GetProperty("model").GetString());
        var expiresIn = DateTimeOffset.FromUnixTimeSeconds(body.RootElement.GetProperty("expiresAt").GetInt64()) - DateTimeOffset.UtcNow;
        Assert.InRange(expiresIn.TotalSeconds, 200, 301);

        // The key opens a session at the service (the local realtime server checks it) that starts with the request's configuration.
        await using var connection = await new RealtimeClient(new RealtimeClientOptions { BaseUri = app.Server.BaseUri, ApiKeyProvider = _ => ValueTask.FromResult(key) })
            .ConnectAsync(TestContext.Current.CancellationToken);
        await foreach (var serverEvent in connection.ReadEventsAsync(TestContext.Current.CancellationToken))
        {
            var created = Assert.IsType<V2V.Realtime.Protocol.ServerEvents.SessionCreatedEvent>(serverEvent);
            Assert.Equal("You help Ada.", created.Session?.Instructions);
            break;
        }
        Assert.DoesNotContain(app.Logs.Collector.GetSnapshot(), r => r.Message.Contains(key, StringComparison.Ordinal) || r.Message.Contains(VoiceAgentApp.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AKeyTheServiceRefuses_Is502WithItsReason_NeverTheKey()
    {
        await using var app = await VoiceAgentApp.StartAsync(serverKey: "sk-the-server-takes-another-key");
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        var answer = await http.PostAsync("/realtime-key", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        var text = await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("refused", JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(VoiceAgentApp.ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-the-server", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigureSecretThrowing_Is500WithoutItsMessage_AndOnlyPostIsAnswered()
    {
        await using var app = await VoiceAgentApp.StartAsync(secrets: o => o.ConfigureSecret = (_, _, _) => throw new InvalidOperationException("db password is hunter2"));
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        var answer = await http.PostAsync("/realtime-key", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.DoesNotContain("hunter2", await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.GetAsync("/realtime-key", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public void ALifetimeTheServiceWouldRefuse_IsRefusedAtMapping_Named() =>
        Assert.Equal("ExpiresAfter", Assert.Throws<ArgumentOutOfRangeException>(new ClientSecretEndpointOptions { ExpiresAfter = TimeSpan.FromSeconds(5) }.Validate).ParamName);
}
