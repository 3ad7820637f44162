using V2V.Realtime.Protocol.Models;
using V2V.Voice.Conversation;

namespace V2V.Voice.Tests.Conversation;

/// <summary>
/// The history in the order of the conversation: a spoken turn's words come after its answer has begun (a tool call
/// may come first, or the whole answer), and take the place its commit kept.
/// </summary>
public sealed class ConversationHistoryTests
{
    [Fact]
    public void AUsersWords_ThatComeAfterTheToolCallAndTheAnswer_TakeThePlaceKeptAtTheCommit()
    {
        var history = new ConversationHistory(maxTurns: 10);
        history.KeepPlaceForUser("item_1");
        history.AddFunctionCall("call_1", "get_current_time", "{}");
        history.AddFunctionOutput("call_1", "{\"local_time\":\"12:00\"}");
        Assert.Equal(["function_call", "function_call_output"], history.Items.Select(Kind)); // no empty user line meanwhile
        history.AddAssistant("It is noon in Paris.");

        history.AddUser("What time is it in Paris?", "item_1");

        Assert.Equal(["user: What time is it in Paris?", "function_call", "function_call_output", "assistant: It is noon in Paris."], history.Items.Select(Kind));
    }

    [Fact]
    public void APlaceWhoseWordsNeverCome_Goes_AndWordsWithoutAPlaceComeLast()
    {
        var history = new ConversationHistory(maxTurns: 2);
        history.KeepPlaceForUser("item_failed");
        history.KeepPlaceForUser("item_lost");
        history.AddAssistant("first answer");
        history.ForgetPlaceForUser("item_failed"); // its transcription failed
        history.ForgetPlacesForUser(); // a new connection: the old one's transcriptions will not come
        history.AddUser("typed", "item_unknown");
        history.AddAssistant("second answer");

        // Two turns kept, the forgotten places not counted among them.
        Assert.Equal(["user: typed", "assistant: second answer"], history.Items.Select(Kind));
    }

    [Fact]
    public void WithNoHistoryKept_APlaceIsNotKept()
    {
        var history = new ConversationHistory(maxTurns: 0);
        history.KeepPlaceForUser("item_1");
        history.AddUser("words", "item_1");

        Assert.Empty(history.Items);
    }

    private static string Kind(RealtimeConversationItem item) =>
        item.Type == "message" ? $"{item.Role}: {item.Content![0].Text}" : item.Type!;
}
