using System.Net.WebSockets;
using System.Text.Json;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Tests.Support;
using V2V.Testing;

namespace V2V.Realtime.Tests.Client;

/// <summary>Every kind of client event, as the client puts it on a real socket, validates against the published schema of the dialect.</summary>
public sealed class ClientEventSchemaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(RealtimeDialect.GA)]
    [InlineData(RealtimeDialect.Beta)]
    public async Task EverythingTheClientSends_ValidatesAgainstItsDialectsSchema(RealtimeDialect dialect)
    {
        await using var server = await LoopbackWebSocketServer.StartAsync((s, srv, ct) => srv.RecordUntilClosedAsync(s, ct));
        var audio = new byte[4800];
        new Random(3).NextBytes(audio);
        await using (var client = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, Dialect = dialect }).ConnectAsync(Ct))
        {
            foreach (var clientEvent in AllKindsOfClientEvents(dialect))
            {
                await client.SendAsync(clientEvent, Ct);
            }
            await client.SendAudioAsync(audio, Ct);
            await client.CloseAsync(Ct);
        }
        // On a busy machine the loopback server may read the last messages well after the client closed.
        await server.WaitForMessagesAsync(AllKindsOfClientEvents(dialect).Count + 1, Ct);

        var messages = server.ReceivedMessages.ToArray();
        Assert.Equal(AllKindsOfClientEvents(dialect).Count + 1, messages.Length);
        foreach (var message in messages)
        {
            var errors = ProtocolSchemas.ValidateEvent(dialect, message, client: true);
            Assert.True(errors.Count == 0, $"{dialect}: {message}\n{string.Join("\n", errors)}");
        }
        using var append = JsonDocument.Parse(messages[^1]);
        Assert.Equal("input_audio_buffer.append", append.RootElement.GetProperty("type").GetString());
        Assert.Equal(audio, append.RootElement.GetProperty("audio").GetBytesFromBase64());
    }

    [Fact]
    public void BetaSessionUpdate_HasTheBetaShape()
    {
        var json = JsonDocument.Parse(RealtimeEventWriter.ToUtf8Bytes(FullSessionUpdate(RealtimeDialect.Beta), RealtimeDialect.Beta)).RootElement.GetProperty("session");

        Assert.Equal("pcm16", json.GetProperty("input_audio_format").GetString());
        Assert.Equal("alloy", json.GetProperty("voice").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("turn_detection").ValueKind == JsonValueKind.Object ? JsonValueKind.Null : JsonValueKind.Undefined);
        Assert.Equal(500, json.GetProperty("turn_detection").GetProperty("silence_duration_ms").GetInt32());
        Assert.Equal("inf", json.GetProperty("max_response_output_tokens").GetString());
        Assert.False(json.TryGetProperty("audio", out _));
        Assert.False(json.TryGetProperty("type", out _));
    }

    [Theory]
    [InlineData(RealtimeDialect.GA, "audio")]
    [InlineData(RealtimeDialect.Beta, "turn_detection")]
    public void DisabledTurnDetection_IsWrittenAsExplicitNull(RealtimeDialect dialect, string firstProperty)
    {
        var update = new SessionUpdateEvent
        {
            Session = new RealtimeSession { Audio = new() { Input = new() { TurnDetection = RealtimeTurnDetection.Disabled } } },
        };

        var session = JsonDocument.Parse(RealtimeEventWriter.ToUtf8Bytes(update, dialect)).RootElement.GetProperty("session");
        var turnDetection = dialect == RealtimeDialect.GA
            ? session.GetProperty(firstProperty).GetProperty("input").GetProperty("turn_detection")
            : session.GetProperty(firstProperty);

        Assert.Equal(JsonValueKind.Null, turnDetection.ValueKind);
    }

    private static List<RealtimeClientEvent> AllKindsOfClientEvents(RealtimeDialect dialect)
    {
        var tool = new RealtimeTool
        {
            Name = "get_time",
            Description = "The current time in a time zone.",
            Parameters = JsonDocument.Parse("""{"type":"object","properties":{"zone":{"type":"string"}},"required":["zone"]}""").RootElement,
        };
        List<RealtimeClientEvent> events =
        [
            FullSessionUpdate(dialect),
            new SessionUpdateEvent
            {
                EventId = "manual_turns",
                Session = new RealtimeSession
                {
                    Audio = new() { Input = new() { TurnDetection = RealtimeTurnDetection.Disabled, Transcription = RealtimeTranscription.Disabled } },
                },
            },
            new InputAudioBufferCommitEvent(),
            new InputAudioBufferClearEvent(),
            new ConversationItemCreateEvent { Item = RealtimeConversationItem.UserText("What time is it in Paris?") },
            new ConversationItemCreateEvent { Item = RealtimeConversationItem.SystemText("Remember: the user is in Paris."), PreviousItemId = "item_1" },
            new ConversationItemCreateEvent { Item = RealtimeConversationItem.AssistantText("It is noon.") },
            new ConversationItemCreateEvent { Item = RealtimeConversationItem.FunctionCall("call_1", "get_time", """{"zone":"Europe/Paris"}""") },
            new ConversationItemCreateEvent { Item = RealtimeConversationItem.FunctionCallOutput("call_1", """{"time":"12:00"}""") },
            new ConversationItemTruncateEvent { ItemId = "item_2", ContentIndex = 0, AudioEndMs = 1500 },
            new ConversationItemDeleteEvent { ItemId = "item_3" },
            new ConversationItemRetrieveEvent { ItemId = "item_4" },
            new ResponseCreateEvent(),
            new ResponseCreateEvent
            {
                Response = new RealtimeResponseCreateParams
                {
                    Instructions = "Greet the user.",
                    OutputModalities = [dialect == RealtimeDialect.GA ? "audio" : "text"],
                    Tools = [tool],
                    ToolChoice = JsonDocument.Parse("\"auto\"").RootElement,
                    MaxOutputTokens = 400,
                },
            },
            new ResponseCancelEvent { ResponseId = "resp_1" },
        ];
        if (dialect == RealtimeDialect.GA)
        {
            events.Add(new OutputAudioBufferClearEvent());
        }
        return events;
    }

    private static SessionUpdateEvent FullSessionUpdate(RealtimeDialect dialect) => new()
    {
        EventId = "session_1",
        Session = new RealtimeSession
        {
            Instructions = "You are a helpful voice agent.",
            OutputModalities = dialect == RealtimeDialect.GA ? ["audio"] : ["text", "audio"],
            Audio = new RealtimeSessionAudio
            {
                Input = new RealtimeAudioInput
                {
                    Format = RealtimeAudioFormat.Pcm16,
                    Transcription = new RealtimeTranscription { Model = "whisper-1", Language = "en" },
                    NoiseReduction = new RealtimeNoiseReduction { Type = "near_field" },
                    TurnDetection = new RealtimeTurnDetection
                    {
                        Type = "server_vad", Threshold = 0.5, PrefixPaddingMs = 300, SilenceDurationMs = 500, CreateResponse = true, InterruptResponse = true,
                    },
                },
                Output = new RealtimeAudioOutput { Format = RealtimeAudioFormat.Pcm16, Voice = "alloy" },
            },
            Tools = [new RealtimeTool { Name = "get_time", Description = "Time in a zone.", Parameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement }],
            ToolChoice = JsonDocument.Parse("\"auto\"").RootElement,
            MaxOutputTokens = RealtimeTokenLimit.Infinite,
            Temperature = dialect == RealtimeDialect.Beta ? 0.8 : null,
        },
    };
}
