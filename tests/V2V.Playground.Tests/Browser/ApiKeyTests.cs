using System.Collections.Concurrent;
using System.Text;
using Microsoft.Playwright;
using V2V.Playground.Tests.Support;
using V2V.Simulator;

using V2V.Testing.Browser;

namespace V2V.Playground.Tests.Browser;

/// <summary>The API key stays on the server: nothing the page receives, over HTTP or the WebSocket, holds it.</summary>
public sealed class ApiKeyTests
{
    [Fact]
    public async Task TheKey_NeverReachesTheBrowser()
    {
        var key = "sk-test-" + Guid.NewGuid().ToString("N");
        await using var realtime = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { ApiKey = key }, TestContext.Current.CancellationToken);
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            // A key the realtime server insists on: the session only works if the server really used it.
            o.ExtensionProperties["api_key"] = key;
            o.ExtensionProperties["base_uri"] = realtime.BaseUri.ToString();
        });
        Assert.Equal("openai", server.Backend.Kind);
        await using var chromium = await Chromium.LaunchAsync();
        var page = new PlaygroundPage(await chromium.NewPageAsync(server.PageUrl));
        var received = new ConcurrentQueue<(string Where, byte[] Bytes)>();
        var reads = new ConcurrentQueue<Task>();
        page.Page.Response += (_, response) => reads.Enqueue(KeepBodyAsync(response, received));
        page.Page.WebSocket += (_, socket) =>
        {
            socket.FrameReceived += (_, frame) => received.Enqueue(($"ws {socket.Url}", frame.Binary ?? Encoding.UTF8.GetBytes(frame.Text ?? "")));
        };

        await page.OpenAsync(server.PageUrl);
        Assert.Contains("OpenAI", await page.TextAsync("#backend"), StringComparison.Ordinal);
        await page.StartAsync();
        await page.SpeakAsync(TestAudio.Question());
        await page.WaitForAsync("s.transcript.some(t => t.role === 'assistant' && t.final)", "the answer through the keyed server");
        await page.WaitForAsync("s.playedSamples > 0", "the answer playing");
        await page.StopAsync();
        await Task.WhenAll(reads);

        var needle = Encoding.UTF8.GetBytes(key);
        Assert.Contains(received, r => r.Where.EndsWith("/api/info", StringComparison.Ordinal));
        Assert.Contains(received, r => r.Where.StartsWith("ws ", StringComparison.Ordinal));
        Assert.DoesNotContain(received, r => r.Bytes.AsSpan().IndexOf(needle) >= 0);
        Assert.DoesNotContain(key, await page.Page.ContentAsync(), StringComparison.Ordinal);
    }

    private static async Task KeepBodyAsync(IResponse response, ConcurrentQueue<(string, byte[])> received)
    {
        try
        {
            var headers = string.Join('\n', (await response.AllHeadersAsync()).Select(h => $"{h.Key}: {h.Value}"));
            received.Enqueue(($"headers {response.Url}", Encoding.UTF8.GetBytes(headers)));
            if (response.Status is < 300 or >= 400)
            {
                received.Enqueue((response.Url, await response.BodyAsync()));
            }
        }
        catch (PlaywrightException)
        {
            // A body the browser already let go of (a navigation away); the headers were kept.
        }
    }
}
