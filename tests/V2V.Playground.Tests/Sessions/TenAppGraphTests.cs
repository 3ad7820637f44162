using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using V2V.Extension;
using V2V.Graph;
using V2V.Graph.Definition;
using V2V.Playground.Tests.Support;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Playground.Tests.Sessions;

/// <summary>
/// A TEN app's graph behind the page (<c>v2v serve --graph</c>): TEN-Agent's <c>voice_assistant_realtime</c>, its
/// <c>agora_rtc</c> node played by the browser tab, its Python weather tool bound to <c>time_tool</c>. At the WebSocket
/// level of PROTOCOL.md, against the local realtime server.
/// </summary>
public sealed class TenAppGraphTests
{
    private const string App = "default.property.json";
    private const string GraphName = "voice_assistant_realtime";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // No key from the tests' environment: the local realtime server answers.
    private static string? Environment(string name) =>
        name is "OPENAI_API_KEY" or "OPENAI_REALTIME_API_KEY" ? null : System.Environment.GetEnvironmentVariable(name);

    [Fact]
    public async Task SpokenQuestion_IsAnsweredWithAudio_AndTheCollectorsTranscripts()
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(90));
        await using var page = await GraphPage.StartAsync(guard.Token);
        Assert.Equal("playground_rtc", page.Graph.Bindings["agora_rtc"]);
        var socket = page.Socket;

        var messages = new List<JsonElement>();
        var answerAudioBytes = 0L;
        var buffer = new byte[64 * 1024];
        Task? speaking = null;
        // Until the user's turn is shown, then the agent's whole answer to it, and half a second of the answer's audio (24 kHz).
        while (!(UserTurn(messages) is { } turn && Answer(messages, turn).Final && answerAudioBytes >= 24000))
        {
            var result = await socket.ReceiveAsync(buffer, guard.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                answerAudioBytes += UserTurn(messages) is null ? 0 : result.Count;
                continue;
            }
            var message = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone();
            Assert.False(Is(message, "error"), message.ToString());
            messages.Add(message);
            if (Is(message, "ready"))
            {
                Assert.Equal(24000, message.GetProperty("outputSampleRate").GetInt32());
            }
            // The user speaks once the greeting has been shown: spoken over before any of its words, it shows none.
            if (speaking is null && Is(message, "transcript") && message.GetProperty("role").GetString() == "assistant" && message.GetProperty("final").GetBoolean())
            {
                speaking = SpeakAsync(socket, guard.Token);
            }
        }
        await speaking!;

        // The app's greeting once the page joined (on_user_joined), the user's words, then the answer, all through the collector.
        Assert.Contains(messages.Take(UserTurn(messages)!.Value), m => Is(m, "transcript") && m.GetProperty("role").GetString() == "assistant" && m.GetProperty("final").GetBoolean());
        Assert.NotEmpty(messages[UserTurn(messages)!.Value].GetProperty("text").GetString()!);
        var answer = Answer(messages, UserTurn(messages)!.Value).Text;
        Assert.True(answer.Contains("I heard", StringComparison.Ordinal), string.Join('\n', messages));

        await socket.SendAsync("""{"type":"stop"}"""u8.ToArray(), WebSocketMessageType.Text, true, guard.Token);
        while ((await socket.ReceiveAsync(buffer, guard.Token)).MessageType != WebSocketMessageType.Close)
        {
        }
    }

    [Fact]
    public async Task AnApprovalTheGraphDoesNotRoute_IsRefusedToThePage_NamingIt_AndTheSessionGoesOn()
    {
        // TEN-Agent's graph routes no mcp_approval from its RTC node: the page must hear so, not wait for a call that never runs.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(90));
        await using var page = await GraphPage.StartAsync(guard.Token);
        var socket = page.Socket;
        var buffer = new byte[64 * 1024];
        await NextAsync(socket, buffer, "ready", guard.Token);

        await socket.SendAsync("""{"type":"mcp_approval","requestId":"mcpr_0123","approve":true}"""u8.ToArray(), WebSocketMessageType.Text, true, guard.Token);
        var refused = await NextAsync(socket, buffer, "error", guard.Token);

        Assert.Equal("mcp_approval_refused", refused.GetProperty("code").GetString());
        Assert.False(refused.GetProperty("fatal").GetBoolean());
        Assert.Contains("mcp_approval", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        await socket.SendAsync("""{"type":"stop"}"""u8.ToArray(), WebSocketMessageType.Text, true, guard.Token);
        WebSocketReceiveResult result;
        while ((result = await socket.ReceiveAsync(buffer, guard.Token)).MessageType != WebSocketMessageType.Close)
        {
        }
        Assert.Equal(WebSocketCloseStatus.NormalClosure, result.CloseStatus);
    }

    // The next JSON message of a type, skipping audio and the others.
    private static async Task<JsonElement> NextAsync(ClientWebSocket socket, byte[] buffer, string type, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            if (result.MessageType == WebSocketMessageType.Text
                && JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone() is var message && Is(message, type))
            {
                return message;
            }
        }
    }

    [Fact]
    public void ForeignAddonLeftUnbound_FailsAtStart_NamingTheBind()
    {
        var error = Assert.Throws<GraphValidationException>(() =>
            PlaygroundGraph.Create(GraphJson.Load(TenFixtures.PathOf(App), GraphName), Addons(), bindings: null, Environment));

        Assert.Equal("weatherapi_tool_python", Assert.Single(error.UnknownAddons).Key);
        Assert.Contains(error.Problems, p => p.Contains("--bind weatherapi_tool_python=", StringComparison.Ordinal));
        // agora_rtc is the page's without being asked: it is no problem.
        Assert.DoesNotContain(error.Problems, p => p.Contains("agora_rtc", StringComparison.Ordinal));
    }

    // The playground serving TEN-Agent's graph (its weather tool bound to time_tool), and a page started on it.
    private sealed class GraphPage : IAsyncDisposable
    {
        private readonly IDisposable _loggers;
        private readonly PlaygroundServer _server;

        private GraphPage(PlaygroundGraph app, IDisposable loggers, PlaygroundServer server, ClientWebSocket socket)
        {
            Graph = app;
            _loggers = loggers;
            _server = server;
            Socket = socket;
        }

        public PlaygroundGraph Graph { get; }

        public ClientWebSocket Socket { get; }

        public static async Task<GraphPage> StartAsync(CancellationToken cancellationToken)
        {
            var app = PlaygroundGraph.Create(GraphJson.Load(TenFixtures.PathOf(App), GraphName), Addons(),
                new Dictionary<string, string> { ["weatherapi_tool_python"] = "time_tool" }, Environment);
            var loggers = TestLogging.Create();
            var server = await LocalPlayground.StartAsync(loggers, o =>
            {
                o.Environment = Environment;
                o.Graph = app;
            });
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(server.Addresses[0].ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "ws"), cancellationToken);
            await socket.SendAsync("""{"type":"start","sampleRate":16000,"voice":"alloy","turnMode":"server_vad"}"""u8.ToArray(), WebSocketMessageType.Text, true, cancellationToken);
            return new GraphPage(app, loggers, server, socket);
        }

        public async ValueTask DisposeAsync()
        {
            Socket.Dispose();
            await _server.DisposeAsync();
            _loggers.Dispose();
        }
    }

    // The addons v2v serve gives a graph: the built-ins and openai_v2v under both its names.
    private static AddonRegistry Addons()
    {
        var registry = new AddonRegistry().AddBuiltIns();
        foreach (var addon in OpenAIV2VAddon.CreateAll(new KeylessEndpoint("the local realtime server", EmbeddedRealtimeServer.GetAsync)))
        {
            registry.Add(addon);
        }
        return registry;
    }

    // The microphone, paced as a browser sends it: 20 ms frames of the question, then silence.
    private static async Task SpeakAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var pcm = Speech.Pcm16("What is the weather in Paris today?", 16000, 1, leadingSilenceMs: 500, trailingSilenceMs: 4000);
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        foreach (var frame in Speech.Frames(pcm, 16000, 1, 20))
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancellationToken);
            await pace.WaitForNextTickAsync(cancellationToken);
        }
    }

    // The index of the user's final transcript, once there is one.
    private static int? UserTurn(List<JsonElement> messages)
    {
        var index = messages.FindIndex(m => Is(m, "transcript") && m.GetProperty("role").GetString() == "user" && m.GetProperty("final").GetBoolean());
        return index < 0 ? null : index;
    }

    // The agent's pieces after the user's turn, joined as the page joins them, and whether the final one has come.
    private static (string Text, bool Final) Answer(List<JsonElement> messages, int userTurn)
    {
        var pieces = messages.Skip(userTurn + 1).Where(m => Is(m, "transcript") && m.GetProperty("role").GetString() == "assistant").ToList();
        return (string.Concat(pieces.Select(m => m.GetProperty("text").GetString())), pieces.Any(m => m.GetProperty("final").GetBoolean()));
    }

    private static bool Is(JsonElement message, string type) => message.GetProperty("type").GetString() == type;
}
