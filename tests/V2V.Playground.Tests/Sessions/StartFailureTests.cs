using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using V2V.Playground.Tests.Support;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Playground.Tests.Sessions;

/// <summary>
/// A session the realtime service refuses (a wrong key, a rate limit) fails as one clear line: one fatal
/// <c>error</c> to the page naming the fix, then the close; one log line without a stack trace (and one per retry). At the WebSocket
/// level of PROTOCOL.md, against the local realtime server on loopback.
/// </summary>
public sealed class StartFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WrongKey_IsOneFatalErrorNamingTheFix_AndOneLogLine()
    {
        var wrongKey = "sk-proj-" + Guid.NewGuid().ToString("N");
        await using var realtime = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { ApiKey = "the-right-key", SpeedFactor = 0 }, Ct);

        var (messages, logs) = await StartSessionAsync(realtime, wrongKey, refusedKeyFix: "Set TEST_KEY_VARIABLE to a valid key.");

        var error = Assert.Single(messages, m => m.GetProperty("type").GetString() == "error");
        var text = error.GetProperty("message").GetString()!;
        Assert.True(error.GetProperty("fatal").GetBoolean());
        Assert.Equal("The session could not start: the realtime service refused the API key (HTTP 401: Incorrect API key provided: sk-***. "
            + "You can find your API key at https://platform.openai.com/account/api-keys). Set TEST_KEY_VARIABLE to a valid key.", text);
        Assert.DoesNotContain('\n', text);
        Assert.DoesNotContain(messages, m => m.GetProperty("type").GetString() == "ready");
        AssertOneLogLine(logs, "Incorrect API key provided", wrongKey);
    }

    [Fact]
    public async Task RateLimitedEveryTime_IsOneFatalErrorWithTheServicesReason_AfterTheBoundedAttempts()
    {
        await using var realtime = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            SpeedFactor = 0, Faults = { RefuseHandshakeStatusCode = 429, RefuseHandshakeRetryAfter = TimeSpan.FromSeconds(1) },
        }, Ct);

        var (messages, logs) = await StartSessionAsync(realtime, key: null, refusedKeyFix: null);

        var error = Assert.Single(messages, m => m.GetProperty("type").GetString() == "error");
        var text = error.GetProperty("message").GetString()!;
        Assert.True(error.GetProperty("fatal").GetBoolean());
        Assert.Contains("HTTP 429: Rate limit reached for requests", text, StringComparison.Ordinal);
        Assert.EndsWith("(tried 3 times)", text, StringComparison.Ordinal); // the first connection and its two retries
        AssertOneLogLine(logs, "Rate limit reached", secret: null, retries: 2);
    }

    // Starts a session of a playground whose agent uses the realtime server with this key; returns every JSON
    // message the page got until the server closed the socket, and the server's log lines.
    private static async Task<(List<JsonElement> Messages, List<string> Logs)> StartSessionAsync(LocalRealtimeServer realtime, string? key, string? refusedKeyFix)
    {
        var capture = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Information));
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            o.ExtensionProperties["base_uri"] = realtime.BaseUri.ToString();
            o.RefusedKeyFix = refusedKeyFix;
            if (key is not null)
            {
                o.ExtensionProperties["api_key"] = key;
            }
        });
        using var socket = new ClientWebSocket();
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(60));
        await socket.ConnectAsync(new Uri(server.Addresses[0].ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "ws"), guard.Token);
        await socket.SendAsync("""{"type":"start","sampleRate":16000,"voice":"alloy","turnMode":"server_vad"}"""u8.ToArray(), WebSocketMessageType.Text, true, guard.Token);

        var messages = new List<JsonElement>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, guard.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }
            if (result.MessageType == WebSocketMessageType.Text)
            {
                messages.Add(JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone());
            }
        }
        return (messages, capture.Lines.ToList());
    }

    private static void AssertOneLogLine(List<string> logs, string said, string? secret, int retries = 0)
    {
        // One line for the session's failure, from the playground, and no stack trace anywhere.
        var sessionLines = logs.Where(l => l.StartsWith("Warning V2V.Playground:", StringComparison.Ordinal)).ToList();
        Assert.Contains(said, Assert.Single(sessionLines), StringComparison.Ordinal);
        // Besides it, the agent's node says each retry it makes, once (its connection's own account of each handshake is
        // Information); the rest of the graph stopping with it is no second fault to report (the time tool's
        // registration went nowhere).
        var warnings = logs.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        var retryLines = warnings.Where(l => l.StartsWith("Warning v2v: Connecting failed (attempt ", StringComparison.Ordinal)).ToList();
        Assert.True(retryLines.Count == retries && warnings.Count == 1 + retries, string.Join('\n', warnings));
        Assert.All(retryLines, l => Assert.Contains(said, l, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("   at ", StringComparison.Ordinal));
        if (secret is not null)
        {
            Assert.DoesNotContain(logs, l => l.Contains(secret, StringComparison.Ordinal) || l.Contains(secret[^4..], StringComparison.Ordinal));
        }
    }
}
