using System.Buffers.Binary;
using System.Text.Json;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Realtime.Tests.Client;

/// <summary>
/// The send queue on a real socket: with a server that does not read, appends pile up; a cancel and a truncate
/// sent then reach the server before those appends, a commit still follows the audio it commits, and every event
/// but the appends carries an <c>event_id</c> that an error names.
/// </summary>
public sealed class SendLaneTests
{
    private const int Capacity = 4;
    private const int AudioBytes = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnAStalledSocket_CancelAndTruncatePassQueuedAppends_AndTheCommitFollowsItsAudio()
    {
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackWebSocketServer.StartAsync(async (s, srv, ct) =>
        {
            await reading.Task.WaitAsync(ct); // the server reads nothing until the client's queue is full
            await srv.RecordUntilClosedAsync(s, ct);
        });
        var options = new RealtimeClientOptions { BaseUri = server.BaseUri, SendQueueCapacity = Capacity };
        var pending = new List<Task>();
        ResponseCancelEvent cancel;
        ConversationItemTruncateEvent truncate;
        ResponseCreateEvent create;
        int lastQueuedBeforeCancel;
        int appendAfterCommit;
        await using (var connection = (RealtimeWebSocketConnection)await new RealtimeClient(options).ConnectAsync(Ct))
        {
            // Appends until the socket is stalled (kernel buffers full) and the audio lane is full, and stays so: the
            // kernel may grow a loopback socket's buffers (autotuning) and take more a moment later, which on a busy
            // machine once drained the lane before the cancel came (nothing was left for it to overtake).
            var index = 0;
            while (true)
            {
                Assert.True(index < 20000, "the audio lane never filled: the socket kept taking appends from a server that does not read");
                var send = connection.SendAudioAsync(Audio(index++), Ct);
                pending.Add(send.AsTask());
                if (!send.IsCompleted && connection.QueuedAudio == Capacity)
                {
                    await Task.Delay(200, Ct);
                    if (connection.QueuedAudio == Capacity)
                    {
                        break;
                    }
                }
            }
            lastQueuedBeforeCancel = index - 1;

            cancel = new ResponseCancelEvent { ResponseId = "resp_1" };
            truncate = new ConversationItemTruncateEvent { ItemId = "item_1", ContentIndex = 0, AudioEndMs = 1200, EventId = "caller_chosen_1" };
            create = new ResponseCreateEvent();
            pending.Add(connection.SendAsync(cancel, Ct).AsTask());
            pending.Add(connection.SendAsync(truncate, Ct).AsTask());
            pending.Add(connection.SendAsync(new InputAudioBufferCommitEvent(), Ct).AsTask());
            pending.Add(connection.SendAsync(create, Ct).AsTask());
            appendAfterCommit = index;
            pending.Add(connection.SendAudioAsync(Audio(index), Ct).AsTask());

            reading.SetResult();
            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            await connection.CloseAsync(Ct);
        }
        var expected = appendAfterCommit + 1 + 4;
        await server.WaitForMessagesAsync(expected, Ct);

        var received = server.ReceivedMessages.Select(Describe).ToList();
        Assert.Equal(expected, received.Count);
        var appends = received.Where(m => m.Type == "input_audio_buffer.append").Select(m => m.Append!.Value).ToList();
        Assert.Equal(Enumerable.Range(0, appendAfterCommit + 1), appends); // the audio lane kept its order, nothing lost
        var at = (string type) => received.FindIndex(m => m.Type == type);
        var appendAt = (int n) => received.FindIndex(m => m.Append == n);

        // The cancel overtook appends queued before it (one FIFO would have put it after them all); the truncate follows it.
        Assert.True(at("response.cancel") < appendAt(lastQueuedBeforeCancel), Order(received));
        Assert.Equal(at("response.cancel") + 1, at("conversation.item.truncate"));
        // The commit came after every append sent before it, and before the one sent after it; response.create after the commit.
        Assert.Equal(appendAt(lastQueuedBeforeCancel) + 1, at("input_audio_buffer.commit"));
        Assert.True(at("response.create") > at("input_audio_buffer.commit"), Order(received));
        Assert.True(appendAt(appendAfterCommit) > at("input_audio_buffer.commit"), Order(received));

        // Every event but the appends has an event_id: the caller's when it chose one, else the client's, readable after sending.
        Assert.All(received.Where(m => m.Type != "input_audio_buffer.append"), m => Assert.False(string.IsNullOrEmpty(m.EventId), m.Type));
        Assert.All(received.Where(m => m.Type == "input_audio_buffer.append"), m => Assert.Null(m.EventId));
        Assert.Equal(cancel.EventId, received[at("response.cancel")].EventId);
        Assert.Equal("caller_chosen_1", received[at("conversation.item.truncate")].EventId);
        Assert.Equal(create.EventId, received[at("response.create")].EventId);
        Assert.Equal(4, received.Where(m => m.EventId is not null).Select(m => m.EventId).Distinct().Count());
    }

    [Fact]
    public async Task AnErrorNamesTheEventIdOfTheEventItRefuses()
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 0 }, Ct);
        await using var connection = await new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, ApiKey = "test-key" }).ConnectAsync(Ct);
        await using var events = connection.ReadEventsAsync(Ct).GetAsyncEnumerator(Ct);

        var truncate = new ConversationItemTruncateEvent { ItemId = "item_missing_1", ContentIndex = 0, AudioEndMs = 100 };
        var delete = new ConversationItemDeleteEvent { ItemId = "item_missing_2", EventId = "my_delete" };
        await connection.SendAsync(truncate, Ct);
        await connection.SendAsync(delete, Ct);

        var errors = new Dictionary<string, string?>();
        while (errors.Count < 2)
        {
            Assert.True(await events.MoveNextAsync(), "the server closed the connection");
            if (events.Current is ErrorEvent error)
            {
                Assert.NotNull(error.Error.EventId);
                errors[error.Error.EventId] = error.Error.Message;
            }
        }

        Assert.NotNull(truncate.EventId);
        Assert.Contains("item_missing_1", errors[truncate.EventId]);
        Assert.Contains("item_missing_2", errors["my_delete"]);
        await connection.CloseAsync(Ct);
    }

    // The index of the append, in its first four bytes, so the server can tell appends apart.
    private static byte[] Audio(int index)
    {
        var audio = new byte[AudioBytes];
        BinaryPrimitives.WriteInt32LittleEndian(audio, index);
        return audio;
    }

    private static (string Type, string? EventId, int? Append) Describe(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString()!;
        var eventId = root.TryGetProperty("event_id", out var id) ? id.GetString() : null;
        int? append = type == "input_audio_buffer.append" ? BinaryPrimitives.ReadInt32LittleEndian(root.GetProperty("audio").GetBytesFromBase64()) : null;
        return (type, eventId, append);
    }

    private static string Order(List<(string Type, string? EventId, int? Append)> received) =>
        string.Join(", ", received.Select(m => m.Append is { } n ? $"a{n}" : m.Type));
}
