using Microsoft.Extensions.AI;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Simulator;
using MeaiItem = Microsoft.Extensions.AI.RealtimeConversationItem;

namespace V2V.Realtime.Extensions.AI.Tests;

/// <summary>
/// What MEAI cannot say through its own messages: a message with no realtime form, or an item id too long for the
/// service, is refused by name and the session goes on; one of our events as a message's raw representation is sent as it is; a refused event comes back as an
/// error naming the message's id.
/// </summary>
public sealed class SessionEdgeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMessageWithNoRealtimeForm_IsRefusedByName_AndTheSessionGoesOn()
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 0 }, Ct);
        using var client = new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, ApiKey = "test-key" }).AsIRealtimeClient();
        await using var session = await client.CreateSessionAsync(null, Ct);

        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => session.SendAsync(new RealtimeClientMessage(), Ct));
        Assert.Contains("RawRepresentation", refused.Message, StringComparison.Ordinal);
        // An item id the service would refuse (it takes 32 characters at most) is refused by name before it is sent.
        var guid = Guid.NewGuid().ToString();
        var tooLong = await Assert.ThrowsAsync<ArgumentException>(() => session.SendAsync(new CreateConversationItemRealtimeClientMessage(new MeaiItem([new TextContent("Hi")], guid, ChatRole.User)), Ct));
        Assert.Contains($"RealtimeConversationItem.Id '{guid}' is 36 characters", tooLong.Message, StringComparison.Ordinal);

        // Our own event rides as the raw representation; the delete of an unknown item is refused by the server,
        // naming the message's id.
        await session.SendAsync(new RealtimeClientMessage { RawRepresentation = new ConversationItemDeleteEvent { ItemId = "item_missing", EventId = "my_delete" } }, Ct);
        await session.SendAsync(new CreateConversationItemRealtimeClientMessage(new MeaiItem([new TextContent("Hello")], role: ChatRole.User)), Ct);
        await session.SendAsync(new CreateResponseRealtimeClientMessage { OutputModalities = ["text"] }, Ct);

        var messages = new List<RealtimeServerMessage>();
        await foreach (var message in session.GetStreamingResponseAsync(Ct))
        {
            messages.Add(message);
            if (message.Type == RealtimeServerMessageType.ResponseDone)
            {
                break;
            }
        }

        var error = Assert.Single(messages.OfType<ErrorRealtimeServerMessage>());
        Assert.Equal("my_delete", error.OriginatingMessageId);
        Assert.Contains("item_missing", error.Error?.Message, StringComparison.Ordinal);
        var text = string.Concat(messages.OfType<OutputTextAudioRealtimeServerMessage>().Where(m => m.Type == RealtimeServerMessageType.OutputTextDelta).Select(m => m.Text));
        Assert.Equal("You said: Hello", text);
        var done = Assert.IsType<ResponseCreatedRealtimeServerMessage>(messages[^1]);
        Assert.Equal("completed", done.Status);
        Assert.Contains(done.Items!, item => item.Role == ChatRole.Assistant && item.Contents.OfType<TextContent>().Any(t => t.Text == "You said: Hello"));
    }

    [Fact]
    public async Task AnImage_IsShownAsAnInputImage_AndAFormatTheServiceDoesNotTake_IsRefusedByName()
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 0 }, Ct);
        using var client = new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, ApiKey = "test-key" }).AsIRealtimeClient();
        await using var session = await client.CreateSessionAsync(null, Ct);

        var gif = await Assert.ThrowsAsync<NotSupportedException>(() => session.SendAsync(new CreateConversationItemRealtimeClientMessage(
            new MeaiItem([new DataContent(V2V.Testing.TestImages.GifHeader(), "image/gif")], role: ChatRole.User)), Ct));
        Assert.Contains("image/gif", gif.Message, StringComparison.Ordinal);
        await session.SendAsync(new CreateConversationItemRealtimeClientMessage(new MeaiItem(
            [new TextContent("what is this"), new DataContent(V2V.Testing.TestImages.Png(16, 9), "image/png")], role: ChatRole.User)), Ct);
        await session.SendAsync(new CreateResponseRealtimeClientMessage { OutputModalities = ["text"] }, Ct);

        var text = "";
        await foreach (var message in session.GetStreamingResponseAsync(Ct))
        {
            Assert.IsNotType<ErrorRealtimeServerMessage>(message);
            if (message is OutputTextAudioRealtimeServerMessage { Type: var type } delta && type == RealtimeServerMessageType.OutputTextDelta)
            {
                text += delta.Text;
            }
            if (message.Type == RealtimeServerMessageType.ResponseDone)
            {
                break;
            }
        }
        Assert.Equal("You said: what is this, and showed me a PNG image of 16 by 9 pixels.", text);
    }

    [Fact]
    public async Task TextBesideAudio_IsAskedAsAudio_OnGa_AndAnAnswerExcludedFromTheConversation_AddsNothingToIt()
    {
        // GA refuses both modalities at once: a session asking for both (a beta habit) gets audio, whose transcript is the
        // text. A response excluded from the conversation is out-of-band (conversation "none"): nothing joins the conversation.
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 0 }, Ct);
        using var client = new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, ApiKey = "test-key" }).AsIRealtimeClient();
        await using var session = await client.CreateSessionAsync(new RealtimeSessionOptions { OutputModalities = ["text", "audio"] }, Ct);

        await session.SendAsync(new CreateResponseRealtimeClientMessage
        {
            ExcludeFromConversation = true,
            OutputModalities = ["text", "audio"],
            Items = [new MeaiItem([new TextContent("Summarize.")], role: ChatRole.User)],
        }, Ct);

        var messages = new List<RealtimeServerMessage>();
        await foreach (var message in session.GetStreamingResponseAsync(Ct))
        {
            messages.Add(message);
            if (message.Type == RealtimeServerMessageType.ResponseDone)
            {
                break;
            }
        }

        Assert.Empty(messages.OfType<ErrorRealtimeServerMessage>());
        Assert.DoesNotContain(messages, m => m.Type == RealtimeServerMessageType.ConversationItemAdded || m.Type == RealtimeServerMessageType.ConversationItemDone);
        var transcript = string.Concat(messages.OfType<OutputTextAudioRealtimeServerMessage>().Where(m => m.Type == RealtimeServerMessageType.OutputAudioTranscriptionDelta).Select(m => m.Text));
        Assert.Equal("You said: Summarize.", transcript);
        Assert.Contains(messages, m => m.Type == RealtimeServerMessageType.OutputAudioDelta);
    }

    [Fact]
    public async Task AnotherModelThanTheConnections_IsRefusedByName_BeforeItIsSent_AndTheSameModelIsAccepted()
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 0 }, Ct);
        using var client = new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, ApiKey = "test-key", Model = "gpt-realtime" }).AsIRealtimeClient();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => client.CreateSessionAsync(new RealtimeSessionOptions { Model = "gpt-realtime-mini" }, Ct));
        Assert.Contains("RealtimeSessionOptions.Model 'gpt-realtime-mini' is not the model this connection is to ('gpt-realtime')", refused.Message, StringComparison.Ordinal);

        await using var session = await client.CreateSessionAsync(new RealtimeSessionOptions { Model = "gpt-realtime", Instructions = "Be brief." }, Ct);
        // A later update is held to the same rule.
        await Assert.ThrowsAsync<ArgumentException>(() => session.SendAsync(new SessionUpdateRealtimeClientMessage(new RealtimeSessionOptions { Model = "gpt-4o-realtime-preview" }), Ct));
        var messages = new List<RealtimeServerMessage>();
        await foreach (var message in session.GetStreamingResponseAsync(Ct))
        {
            messages.Add(message);
            if (message.RawRepresentation is V2V.Realtime.Protocol.ServerEvents.SessionUpdatedEvent || message is ErrorRealtimeServerMessage)
            {
                break;
            }
        }
        Assert.Empty(messages.OfType<ErrorRealtimeServerMessage>()); // the same model again: the update is taken
        Assert.IsType<V2V.Realtime.Protocol.ServerEvents.SessionUpdatedEvent>(messages[^1].RawRepresentation);
    }
}
