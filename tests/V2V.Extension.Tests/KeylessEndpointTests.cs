using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Graph;
using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Simulator;

namespace V2V.Extension.Tests;

/// <summary>Which server a node with no key talks to is the host's choice; the extension owns no server.</summary>
public sealed class KeylessEndpointTests
{
    [Fact]
    public async Task NoKey_AndNoKeylessEndpointFromTheHost_FailsToStart_NamingApiKeyAndItsVariable()
    {
        var host = new GraphHost(new AddonRegistry().AddBuiltIns().Add(OpenAIV2VAddon.Create()));

        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var running = await host.StartAsync(SingleNode(new JsonObject { ["api_key"] = "" }), TestContext.Current.CancellationToken);
        });

        Assert.Contains("'api_key'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", ex.Message, StringComparison.Ordinal);
        Assert.Contains("base_uri", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoKey_ConnectsToTheKeylessEndpointTheHostGives()
    {
        var ct = TestContext.Current.CancellationToken;
        var received = new ConcurrentQueue<string>();
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            ClientEventObserver = e => received.Enqueue(e.GetProperty("type").GetString()!),
        }, ct);
        var asked = 0;
        var keyless = new KeylessEndpoint("the test's local server", _ =>
        {
            Interlocked.Increment(ref asked);
            return Task.FromResult(server.BaseUri);
        });
        var log = new Support.LogCapture();
        var host = new GraphHost(new AddonRegistry().AddBuiltIns().Add(OpenAIV2VAddon.Create(keyless)), new GraphHostOptions { LoggerFactory = log });

        await using (var running = await host.StartAsync(SingleNode(new JsonObject { ["api_key"] = "" }), ct))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!received.Contains("session.update") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, ct);
            }
        }

        Assert.Equal(1, asked);
        Assert.Contains("session.update", received);
        // The start says, as a warning, which property was empty and which variables were looked at.
        var warning = Assert.Single(log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("'api_key'", StringComparison.Ordinal));
        Assert.Contains("OPENAI_REALTIME_API_KEY, OPENAI_API_KEY", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyTheServiceRefuses_FailsToStart_NamingApiKey_InTheServicesWords_WithTheKeyMasked_AndLogsTheRefusalInTheNodesLog()
    {
        var ct = TestContext.Current.CancellationToken;
        var wrongKey = "sk-proj-" + Guid.NewGuid().ToString("N");
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { ApiKey = "the-key-the-server-wants", SpeedFactor = 0 }, ct);
        var log = new Support.LogCapture();
        var host = new GraphHost(new AddonRegistry().AddBuiltIns().Add(OpenAIV2VAddon.Create()), new GraphHostOptions { LoggerFactory = log });

        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var running = await host.StartAsync(SingleNode(new JsonObject { ["api_key"] = wrongKey, ["base_uri"] = server.BaseUri.ToString() }), ct);
        });

        Assert.Contains("property 'api_key' was refused by", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(HTTP 401: Incorrect API key provided", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Check ApiKey", ex.Message, StringComparison.Ordinal); // the client's C# name stays below
        Assert.DoesNotContain(wrongKey[^4..], ex.ToString(), StringComparison.Ordinal);
        // The session's connection logs into the node's log (TEN's ten_env.log): the refused handshake is there, the key is not.
        Assert.Contains(log.Entries, e => e.Category == "v2v"
            && e.Message.Contains("Handshake with", StringComparison.Ordinal) && e.Message.Contains("HTTP 401", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains(wrongKey[^4..], StringComparison.Ordinal));
    }

    [Fact]
    public void TheExtension_DoesNotDependOnTheLocalServer()
    {
        var references = typeof(OpenAIV2VExtension).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain("V2V.Simulator", references);
        Assert.DoesNotContain(references, r => r!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains("V2V.Voice", references);
    }

    private static GraphDefinition SingleNode(JsonObject properties) => GraphJson.Parse(new JsonObject
    {
        ["nodes"] = new JsonArray(new JsonObject { ["type"] = "extension", ["name"] = "v2v", ["addon"] = OpenAIV2VAddon.Name, ["property"] = properties }),
        ["connections"] = new JsonArray(),
    }.ToJsonString());
}
