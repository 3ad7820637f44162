using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Realtime.Tests.Support;
using V2V.Testing;

namespace V2V.Realtime.Tests.Client;

/// <summary>Reading server events over a real WebSocket: closes, drops, bad messages and very large ones.</summary>
public sealed class RealtimeClientStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string SpeechStarted(int ms) =>
        $$"""{"event_id":"event_{{ms}}","type":"input_audio_buffer.speech_started","audio_start_ms":{{ms}},"item_id":"item_1"}""";

    [Fact]
    public async Task ServerClosingMidStream_DeliversEverythingBefore_ThenEndsWithTheCloseStatus()
    {
        await using var server = await LoopbackWebSocketServer.StartAsync(async (socket, _, ct) =>
        {
            for (var i = 0; i < 3; i++)
            {
                await LoopbackWebSocketServer.SendTextAsync(socket, SpeechStarted(i * 100), ct);
            }
            await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "session expired", ct);
        });
        await using var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri }).ConnectAsync(Ct);

        var events = await ReadAllAsync(client);

        Assert.Equal([0, 100, 200], events.Cast<InputAudioBufferSpeechStartedEvent>().Select(e => e.AudioStartMs));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Equal("session expired", client.CloseStatusDescription);
        Assert.False(client.IsOpen);
        await Assert.ThrowsAsync<RealtimeConnectionLostException>(() => client.SendAudioAsync(new byte[10], Ct).AsTask());
    }

    [Fact]
    public async Task ConnectionDroppedWithoutClose_DeliversEverythingBefore_ThenThrowsLost()
    {
        await using var server = await LoopbackWebSocketServer.StartAsync(async (socket, _, ct) =>
        {
            // Lockstep with the client, so that the event is surely delivered before the drop.
            await socket.ReceiveAsync(new byte[4096], ct);
            await LoopbackWebSocketServer.SendTextAsync(socket, SpeechStarted(5), ct);
            await socket.ReceiveAsync(new byte[4096], ct);
            socket.Abort();
        });
        await using var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri }).ConnectAsync(Ct);
        await client.SendAudioAsync(new byte[480], Ct);
        var received = new List<RealtimeServerEvent>();

        await Assert.ThrowsAsync<RealtimeConnectionLostException>(async () =>
        {
            await foreach (var e in client.ReadEventsAsync(Ct))
            {
                received.Add(e);
                await client.SendAudioAsync(new byte[480], Ct);
            }
        });

        Assert.IsType<InputAudioBufferSpeechStartedEvent>(Assert.Single(received));
    }

    [Fact]
    public async Task MalformedMessagesBetweenGoodOnes_AreReported_AndTheStreamGoesOn()
    {
        string[] script =
        [
            SpeechStarted(1),
            "{not json",
            """{"type":42}""",
            """{"type":"input_audio_buffer.speech_stopped","event_id":"e","item_id":"i"}""",
            """{"type":"response.output_audio.delta","event_id":"e","response_id":"r","item_id":"i","output_index":0,"content_index":0,"delta":"@@not-base64@@"}""",
            """{"type":"some.future_event","event_id":"e9","novel":{"x":1}}""",
            SpeechStarted(2),
        ];
        await using var server = await LoopbackWebSocketServer.StartAsync(async (socket, _, ct) =>
        {
            foreach (var message in script)
            {
                await LoopbackWebSocketServer.SendTextAsync(socket, message, ct);
            }
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
        });
        await using var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri }).ConnectAsync(Ct);

        var events = await ReadAllAsync(client);

        Assert.Equal(7, events.Count);
        Assert.IsType<InputAudioBufferSpeechStartedEvent>(events[0]);
        Assert.Contains("{not json", Assert.IsType<MalformedServerEvent>(events[1]).RawText, StringComparison.Ordinal);
        Assert.Contains("type", Assert.IsType<MalformedServerEvent>(events[2]).Reason, StringComparison.Ordinal);
        var missing = Assert.IsType<MalformedServerEvent>(events[3]);
        Assert.Equal("input_audio_buffer.speech_stopped", missing.DeclaredType);
        Assert.Contains("audio_end_ms", missing.Reason, StringComparison.Ordinal);
        Assert.Contains("base64", Assert.IsType<MalformedServerEvent>(events[4]).Reason, StringComparison.Ordinal);
        var unknown = Assert.IsType<UnknownServerEvent>(events[5]);
        Assert.Equal("some.future_event", unknown.Type);
        Assert.Equal(1, unknown.Raw.GetProperty("novel").GetProperty("x").GetInt32());
        Assert.Equal(2, Assert.IsType<InputAudioBufferSpeechStartedEvent>(events[6]).AudioStartMs);
    }

    [Fact]
    public async Task ServerErrors_AreLoggedAsWarnings_ButALateCancelsRefusal_OnlyAtDebug()
    {
        // A cancel that reaches the service after its answer ended is refused; every barge-in near an answer's end
        // can lose that race, so it must not read as a fault in the host's logs.
        string[] script =
        [
            """{"type":"error","event_id":"e1","error":{"type":"invalid_request_error","code":"response_cancel_not_active","message":"Cancellation failed: no active response found.","param":null,"event_id":"c1"}}""",
            """{"type":"error","event_id":"e2","error":{"type":"invalid_request_error","code":"invalid_value","message":"Audio content of 900ms is already shorter than 1200ms","param":"audio_end_ms","event_id":"c2"}}""",
        ];
        await using var server = await LoopbackWebSocketServer.StartAsync(async (socket, _, ct) =>
        {
            foreach (var message in script)
            {
                await LoopbackWebSocketServer.SendTextAsync(socket, message, ct);
            }
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
        });
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, LoggerFactory = loggerFactory }).ConnectAsync(Ct);

        var events = await ReadAllAsync(client);

        Assert.Equal(["response_cancel_not_active", "invalid_value"], events.Cast<ErrorEvent>().Select(e => e.Error.Code));
        var errorLines = logs.Lines.Where(line => line.Contains("Server error", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errorLines.Count);
        Assert.StartsWith("Debug ", Assert.Single(errorLines, line => line.Contains("response_cancel_not_active", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.StartsWith("Warning ", Assert.Single(errorLines, line => line.Contains("invalid_value", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RealtimeDialect.GA, "response.output_audio.delta")]
    [InlineData(RealtimeDialect.Beta, "response.audio.delta")]
    public async Task OneMegabyteAudioDelta_ArrivesWhole(RealtimeDialect dialect, string wireType)
    {
        var audio = new byte[1024 * 1024];
        new Random(7).NextBytes(audio);
        var message = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["event_id"] = "event_big", ["type"] = wireType, ["response_id"] = "resp_1", ["item_id"] = "item_1",
            ["output_index"] = 0, ["content_index"] = 0, ["delta"] = Convert.ToBase64String(audio), ["future_field"] = true,
        });
        await using var server = await LoopbackWebSocketServer.StartAsync(async (socket, _, ct) =>
        {
            await LoopbackWebSocketServer.SendTextAsync(socket, message, ct);
            await LoopbackWebSocketServer.SendTextAsync(socket, SpeechStarted(3), ct);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
        });
        await using var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, Dialect = dialect }).ConnectAsync(Ct);

        var events = await ReadAllAsync(client);

        using var delta = Assert.IsType<ResponseOutputAudioDeltaEvent>(events[0]);
        Assert.Equal(wireType, delta.Type);
        Assert.Equal("resp_1", delta.ResponseId);
        Assert.True(delta.Audio.Span.SequenceEqual(audio));
        Assert.True(delta.AdditionalProperties!["future_field"].GetBoolean());
        Assert.IsType<InputAudioBufferSpeechStartedEvent>(events[1]);
    }

    [Fact]
    public async Task MessageOverTheLimit_IsSkippedAndReported_AndTheNextOneIsRead()
    {
        var huge = "{\"type\":\"x\",\"pad\":\"" + new string('a', 200_000) + "\"}";
        await using var server = await LoopbackWebSocketServer.StartAsync(async (socket, _, ct) =>
        {
            await LoopbackWebSocketServer.SendTextAsync(socket, huge, ct);
            await LoopbackWebSocketServer.SendTextAsync(socket, SpeechStarted(4), ct);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
        });
        await using var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, MaxMessageBytes = 64 * 1024 }).ConnectAsync(Ct);

        var events = await ReadAllAsync(client);

        Assert.Contains("exceeds MaxMessageBytes", Assert.IsType<MalformedServerEvent>(events[0]).Reason, StringComparison.Ordinal);
        Assert.Equal(4, Assert.IsType<InputAudioBufferSpeechStartedEvent>(events[1]).AudioStartMs);
    }

    [Fact]
    public async Task ErrorEvent_SurfacesTypeCodeMessageParamAndEventId()
    {
        const string error = """{"event_id":"event_890","type":"error","error":{"type":"invalid_request_error","code":"invalid_value","message":"Bad threshold.","param":"session.turn_detection.threshold","event_id":"client_7"}}""";
        await using var server = await LoopbackWebSocketServer.StartAsync(async (socket, _, ct) =>
        {
            await LoopbackWebSocketServer.SendTextAsync(socket, error, ct);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
        });
        await using var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri }).ConnectAsync(Ct);

        var e = Assert.IsType<ErrorEvent>(Assert.Single(await ReadAllAsync(client)));

        Assert.Equal(("invalid_request_error", "invalid_value", "Bad threshold.", "session.turn_detection.threshold", "client_7"),
            (e.Error.Type, e.Error.Code, e.Error.Message, e.Error.Param, e.Error.EventId));
    }

    [Fact]
    public async Task SecondConcurrentReader_IsRefused()
    {
        await using var server = await LoopbackWebSocketServer.StartAsync((s, srv, ct) => srv.RecordUntilClosedAsync(s, ct));
        await using var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri }).ConnectAsync(Ct);
        await using var first = client.ReadEventsAsync(Ct).GetAsyncEnumerator(Ct);
        var pending = first.MoveNextAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in client.ReadEventsAsync(Ct))
            {
            }
        });
        await client.CloseAsync(Ct);
        Assert.False(await pending);
    }

    private static async Task<List<RealtimeServerEvent>> ReadAllAsync(IRealtimeConnection client)
    {
        var events = new List<RealtimeServerEvent>();
        await foreach (var e in client.ReadEventsAsync(Ct))
        {
            events.Add(e);
        }
        return events;
    }
}
