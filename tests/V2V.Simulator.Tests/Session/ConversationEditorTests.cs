using System.Text.Json;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;
using V2V.Simulator.Tests.Support;
using V2V.Simulator.Turns;

namespace V2V.Simulator.Tests.Session;

/// <summary>The conversation's edits as the service answers them, without a socket: the events, or the error and no change.</summary>
public sealed class ConversationEditorTests
{
    [Fact]
    public void AUserTurn_IsCommitted_ThenAnnounced_AfterThePreviousItem()
    {
        var (editor, conversation) = Editor(DialectProfile.Ga);
        editor.AddUserTurn(new TurnCommit("item_a", new short[2400]));

        var (part, events) = editor.AddUserTurn(new TurnCommit("item_b", new short[4800]));

        Assert.Equal(["input_audio_buffer.committed", "conversation.item.added", "conversation.item.done"], events.Select(e => e.Type()));
        Assert.All(events, e => Assert.Equal("item_a", e["previous_item_id"]!.GetValue<string>()));
        Assert.Equal("item_b", events[0].Str("item_id"));
        Assert.Equal(200, part.AudioMs);
        Assert.Equal(["item_a", "item_b"], conversation.Items.Select(i => i.Id));
    }

    [Fact]
    public void InBeta_AUserTurnIsAnnouncedOnce_AsCreated()
    {
        var (editor, _) = Editor(DialectProfile.Beta);

        var (_, events) = editor.AddUserTurn(new TurnCommit("item_a", new short[2400]));

        Assert.Equal(["input_audio_buffer.committed", "conversation.item.created"], events.Select(e => e.Type()));
    }

    [Fact]
    public void Create_AtRoot_PutsTheItemFirst()
    {
        var (editor, conversation) = Editor(DialectProfile.Ga);
        editor.AddUserTurn(new TurnCommit("item_a", new short[2400]));

        var reply = editor.Create(Json("""{"previous_item_id":"root","item":{"id":"item_t","type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}"""), "e1");

        Assert.Null(reply.Error);
        Assert.Equal(["conversation.item.added", "conversation.item.done"], reply.Events.Select(e => e.Type()));
        Assert.Null(reply.Events[0]["previous_item_id"]);
        Assert.Equal(["item_t", "item_a"], conversation.Items.Select(i => i.Id));
    }

    [Theory]
    [InlineData("""{"previous_item_id":"item_missing","item":{"type":"message","role":"user","content":[]}}""", "item_not_found", "previous_item_id")]
    [InlineData("""{"item":{"id":"item_a","type":"message","role":"user","content":[]}}""", "item_already_exists", "item.id")]
    [InlineData("""{"item":{"id":"3f2c9a4e-8d1b-4c7a-9e6f-2b5d8a1c4e7f","type":"message","role":"user","content":[]}}""", "string_above_max_length", "item.id")]
    [InlineData("""{"item":{"type":"web_search_call"}}""", "invalid_value", "item")]
    [InlineData("""{"item":{"id":"item_r","type":"mcp_approval_response","approval_request_id":"item_none","approve":true}}""", "invalid_value", "item.approval_request_id")]
    [InlineData("""{"item":{"type":"message","role":"user","content":[{"type":"input_image"}]}}""", "invalid_value", "item")]
    public void ARefusedCreate_IsAnErrorNamingTheEvent_AndChangesNothing(string create, string code, string param)
    {
        var (editor, conversation) = Editor(DialectProfile.Ga);
        editor.AddUserTurn(new TurnCommit("item_a", new short[2400]));

        var reply = editor.Create(Json(create), "e1");

        Assert.Empty(reply.Events);
        Assert.Equal(code, reply.Error?.Code);
        Assert.Equal(param, reply.Error?.Param);
        Assert.Equal("e1", reply.Error?.EventId);
        Assert.Equal(["item_a"], conversation.Items.Select(i => i.Id));
    }

    [Fact]
    public void AnItemIdOf32Characters_IsTaken_OneOf33_IsRefusedInTheServicesWords()
    {
        var (editor, conversation) = Editor(DialectProfile.Ga);
        var longest = new string('a', 32);

        Assert.Null(editor.Create(Json(UserText(longest)), "e1").Error);
        var refused = editor.Create(Json(UserText(longest + "b")), "e2").Error;

        Assert.Equal("Invalid 'item.id': string too long. Expected a string with maximum length 32, but got a string with length 33 instead.", refused?.Message);
        Assert.Equal([longest], conversation.Items.Select(i => i.Id));

        static string UserText(string id) => "{\"item\":{\"id\":\"" + id + "\",\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}}";
    }

    [Fact]
    public void Delete_AndRetrieve_NameTheItem_OrSayItIsNotFound()
    {
        var (editor, conversation) = Editor(DialectProfile.Ga);
        editor.AddUserTurn(new TurnCommit("item_a", new short[2400]));

        var retrieved = Assert.Single(editor.Retrieve("item_a", "r1").Events)["item"]!;
        Assert.Equal("item_a", retrieved.Str("id"));
        Assert.Equal(2400 * 2, Convert.FromBase64String(retrieved["content"]![0]!.Str("audio")).Length); // "including audio data"
        Assert.Equal("conversation.item.deleted", Assert.Single(editor.Delete("item_a", "d1").Events).Type());
        Assert.Empty(conversation.Items);
        Assert.Equal("item_not_found", editor.Delete("item_a", "d2").Error?.Code);
        Assert.Equal("item_not_found", editor.Retrieve("item_a", "r2").Error?.Code);
    }

    [Fact]
    public void Truncate_TrimsAnAssistantsAudioToWhatWasHeard_AndDeletesItsTranscript()
    {
        var (editor, conversation) = Editor(DialectProfile.Ga);
        var answer = AssistantAudio(conversation, ms: 1000, transcript: "Hello there");

        var reply = editor.Truncate(Json($$"""{"item_id":"{{answer.Id}}","content_index":0,"audio_end_ms":400}"""), "t1");

        Assert.Equal("conversation.item.truncated", Assert.Single(reply.Events).Type());
        Assert.Equal(400, answer.Content[0].AudioMs);
        Assert.Equal(string.Empty, answer.Content[0].Transcript);
        // Retrieved, the item has its audio as it stands: 400 ms of pcm16 at 24 kHz.
        var retrieved = Assert.Single(editor.Retrieve(answer.Id, "r1").Events)["item"]!["content"]![0]!;
        Assert.Equal(400 * 24 * 2, Convert.FromBase64String(retrieved.Str("audio")).Length);
    }

    [Theory]
    [InlineData("item_user", 0, 100, "item_id", "Only model output audio messages can be truncated")]
    [InlineData("item_answer", 1, 100, "content_index", "Content part 1 of item 'item_answer' is not audio.")]
    [InlineData("item_answer", 0, 1500, "audio_end_ms", "Audio content of 1000ms is already shorter than 1500ms")]
    public void ARefusedTruncate_IsInvalidValue_AndLeavesTheItem(string itemId, int contentIndex, int audioEndMs, string param, string message)
    {
        var (editor, conversation) = Editor(DialectProfile.Ga);
        editor.AddUserTurn(new TurnCommit("item_user", new short[2400]));
        var answer = AssistantAudio(conversation, ms: 1000, transcript: "Hello there", id: "item_answer");

        var reply = editor.Truncate(Json($$"""{"item_id":"{{itemId}}","content_index":{{contentIndex}},"audio_end_ms":{{audioEndMs}}}"""), "t1");

        Assert.Equal("invalid_value", reply.Error?.Code);
        Assert.Equal(param, reply.Error?.Param);
        Assert.Equal(message, reply.Error?.Message);
        Assert.Equal(1000, answer.Content[0].AudioMs);
        Assert.Equal("Hello there", answer.Content[0].Transcript);
    }

    private static ConversationItem AssistantAudio(Conversation conversation, int ms, string transcript, string id = "item_answer")
    {
        var item = new ConversationItem { Id = id, Type = "message", Role = "assistant" };
        item.Content.Add(new ContentPart { Kind = ContentKind.OutputAudio, Audio = new short[ms * TestAudio.SamplesPerMs], Transcript = transcript });
        conversation.Insert(item, null);
        return item;
    }

    private static (ConversationEditor Editor, Conversation Conversation) Editor(DialectProfile profile)
    {
        var conversation = new Conversation();
        return (new ConversationEditor(new SessionConfig(profile, null, DateTimeOffset.UnixEpoch), conversation), conversation);
    }

    private static JsonElement Json(string json) => JsonElement.Parse(json);
}
