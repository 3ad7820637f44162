using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Responses;

public sealed class TextAndToolTests
{
    [Theory]
    [InlineData(false, "response.output_text", "conversation.item.added")]
    [InlineData(true, "response.text", "conversation.item.created")]
    public async Task TextItem_InATextSession_GetsATextAnswer(bool beta, string textEvent, string itemAdded)
    {
        // Beta is spoken only by the azure-preview profile (OpenAI retired it): the beta case runs that profile.
        await using var server = await Servers.StartAsync(beta);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta);
        await using var _c = client;
        await client.SendRawAsync(beta
            ? """{"type":"session.update","session":{"modalities":["text"]}}"""
            : """{"type":"session.update","session":{"type":"realtime","output_modalities":["text"]}}""");
        await client.UntilAsync("session.updated");

        await client.SendAsync(ConversationHelpers.UserText("hello there"));
        var created = await client.UntilAsync(itemAdded);
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAsync("response.done");

        Assert.Null(created.Last()["previous_item_id"]?.GetValue<string>());
        Assert.Equal("You said: hello there", string.Concat(events.OfType(textEvent + ".delta").Select(e => e.Str("delta"))));
        Assert.Equal("You said: hello there", events.OfType(textEvent + ".done").Single().Str("text"));
        var assistant = events.OfType(itemAdded).First()["item"]!;
        Assert.Equal("assistant", assistant.Str("role"));
        Assert.Equal(created.Last()["item"]!.Str("id"), events.OfType(itemAdded).First().Str("previous_item_id"));
    }

    [Fact]
    public async Task AnOutOfBandResponse_AnswersItsOwnInput_AddsNothingToTheConversation_AndAnEmptyInputClearsTheContext()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendAsync(ConversationHelpers.UserText("in the conversation"));
        await client.UntilAsync("conversation.item.done");

        await client.SendRawAsync("""{"type":"response.create","response":{"conversation":"none","output_modalities":["text"],"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Summarize."}]}]}}""");
        var events = await client.UntilAllAsync("response.done", "rate_limits.updated");

        Assert.DoesNotContain(events, e => e.Type() is "error" or "conversation.item.added" or "conversation.item.done");
        Assert.Equal("You said: Summarize.", events.OfType("response.output_text.done").Single().Str("text"));

        await client.SendRawAsync("""{"type":"response.create","response":{"conversation":"none","output_modalities":["text"],"input":[]}}""");
        events = await client.UntilAllAsync("response.done", "rate_limits.updated");

        Assert.DoesNotContain(events, e => e.Type() == "error");
        Assert.DoesNotContain("in the conversation", events.OfType("response.output_text.done").Single().Str("text"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("You said: tell me about", "the sea and its ships")]
    [InlineData("You said: something else", "You said: tell me about the sea and its ships")]
    public async Task AskedToGoOnFromWordsOfItsAnswer_ItSaysTheRest_ElseTheWholeAnswer(string given, string expected)
    {
        // A client whose connection ended mid-answer gives the new one the words heard, then asks it to go on from there
        // (a system message): the local agent, as a model would, says only the rest; words that are not a beginning of
        // its answer do not change it.
        Assert.Equal(expected, await GoOnFromAsync(given, ConversationHelpers.UserText("tell me about the sea and its ships")));
    }

    [Fact]
    public async Task AskedToGoOnFromWordsOfAToolsAnswer_ItSaysTheRest()
    {
        // The answer to a function's output, cut short by a connection's end, is continued as any other answer is: a model
        // asked to go on does not start its report of the output again.
        var rest = await GoOnFromAsync("The function get_weather",
            ConversationHelpers.UserText("what is the weather?"),
            new JsonObject
            {
                ["type"] = "conversation.item.create",
                ["item"] = new JsonObject { ["type"] = "function_call", ["call_id"] = "call_1", ["name"] = "get_weather", ["arguments"] = "{}" },
            },
            new JsonObject
            {
                ["type"] = "conversation.item.create",
                ["item"] = new JsonObject { ["type"] = "function_call_output", ["call_id"] = "call_1", ["output"] = "sunny, 21 C" },
            });

        Assert.Equal("returned: sunny, 21 C", rest);
    }

    /// <summary>
    /// A text-only session is given <paramref name="before"/>, then the answer's words heard (<paramref name="heard"/>)
    /// and the note a client sends to have it go on from them, as after a connection lost mid-answer: the text it says.
    /// </summary>
    private static async Task<string?> GoOnFromAsync(string heard, params JsonObject[] before)
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await TextOnlyAsync(client);

        foreach (var item in before)
        {
            await client.SendAsync(item);
        }
        await client.SendAsync(ConversationHelpers.Message("assistant", "output_text", heard));
        await client.SendAsync(ConversationHelpers.Message("system", "input_text", "Continue your answer from exactly where it was cut off."));
        return await TextAnswerAsync(client);
    }

    /// <summary>The session answers in text only.</summary>
    private static async Task TextOnlyAsync(RealtimeTestClient client)
    {
        await client.SendRawAsync("""{"type":"session.update","session":{"type":"realtime","output_modalities":["text"]}}""");
        await client.UntilAsync("session.updated");
    }

    /// <summary>A response asked for in a text-only session: its text.</summary>
    private static async Task<string?> TextAnswerAsync(RealtimeTestClient client)
    {
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAsync("response.done");
        return events.OfType("response.output_text.done").Single().Str("text");
    }

    [Theory]
    [InlineData(false, "response.output_audio")]
    [InlineData(true, "response.audio")]
    public async Task TextItem_InASessionThatSpeaks_IsAnsweredWithAudioAndItsTranscript(bool beta, string audioEvent)
    {
        // As the service does: a greeting sent as a text item must be heard, not only read.
        await using var server = await Servers.StartAsync(beta);
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta);
        await using var _c = client;

        await client.SendAsync(ConversationHelpers.UserText("hello there"));
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var events = await client.UntilAsync("response.done");

        Assert.True(events.AudioBytes(audioEvent + ".delta") > 0);
        Assert.Equal("You said: hello there", events.OfType(audioEvent + "_transcript.done").Single().Str("transcript"));
        Assert.DoesNotContain(events, e => e.Type().Contains("text", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UserTextNamingATool_CallsIt_AndTheAnswerUsesItsOutput()
    {
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await client.SendRawAsync("""
            {"type":"session.update","session":{"type":"realtime","tools":[{"type":"function","name":"get_weather",
             "description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}}
            """);
        await client.UntilAsync("session.updated");

        await client.SendAsync(ConversationHelpers.UserText("please get_weather Paris"));
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var call = await client.UntilAsync("response.done");
        var done = call.OfType("response.function_call_arguments.done").Single();
        Assert.Equal("get_weather", done.Str("name"));
        Assert.Equal("""{"city":"Paris"}""", done.Str("arguments"));
        Assert.Equal(done.Str("arguments"), string.Concat(call.OfType("response.function_call_arguments.delta").Select(e => e.Str("delta"))));
        Assert.Equal("function_call", call.Last()["response"]!["output"]![0]!.Str("type"));

        await client.SendAsync(new JsonObject
        {
            ["type"] = "conversation.item.create",
            ["item"] = new JsonObject { ["type"] = "function_call_output", ["call_id"] = done.Str("call_id"), ["output"] = "sunny, 21 C" },
        });
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var answer = await client.UntilAsync("response.done");

        Assert.Equal("The function get_weather returned: sunny, 21 C", answer.OfType("response.output_audio_transcript.done").Single().Str("transcript"));
    }

    [Fact]
    public async Task TwoOutputsSinceItsLastWords_AreBothReported_InTheOrderTheyCame()
    {
        // A question asked while the tool of the one before still ran: its call is made, both outputs come in, and the one
        // answer asked for reports both, as a model does; reporting only the last, it would leave the first unanswered.
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;
        await TextOnlyAsync(client);

        await client.SendAsync(ConversationHelpers.UserText("what time is it for question 3?"));
        await client.SendAsync(Item(new JsonObject { ["type"] = "function_call", ["call_id"] = "call_3", ["name"] = "get_time", ["arguments"] = "{}" }));
        await client.SendAsync(ConversationHelpers.UserText("and for question 4?"));
        await client.SendAsync(Item(new JsonObject { ["type"] = "function_call", ["call_id"] = "call_4", ["name"] = "get_time", ["arguments"] = "{}" }));
        await client.SendAsync(Item(new JsonObject { ["type"] = "function_call_output", ["call_id"] = "call_4", ["output"] = "noon, for question 4" }));
        await client.SendAsync(Item(new JsonObject { ["type"] = "function_call_output", ["call_id"] = "call_3", ["output"] = "noon, for question 3" }));
        Assert.Equal("The function get_time returned: noon, for question 4 The function get_time returned: noon, for question 3",
            await TextAnswerAsync(client));

        // Once answered, the next output is reported alone.
        await client.SendAsync(Item(new JsonObject { ["type"] = "function_call", ["call_id"] = "call_5", ["name"] = "get_time", ["arguments"] = "{}" }));
        await client.SendAsync(Item(new JsonObject { ["type"] = "function_call_output", ["call_id"] = "call_5", ["output"] = "noon, for question 5" }));
        Assert.Equal("The function get_time returned: noon, for question 5", await TextAnswerAsync(client));
    }

    private static JsonObject Item(JsonObject item) => new() { ["type"] = "conversation.item.create", ["item"] = item };

    [Fact]
    public async Task AnOutputForACallNotInTheConversation_IsRefused_AsTheServiceRefusesIt_AndChangesNothing()
    {
        // A new connection holds only what the client created on it: an output for a call made on an old one is
        // refused ("Tool call ID ... not found in conversation.", code invalid_tool_call_id, as clients have logged it).
        await using var server = await Servers.StartAsync();
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        await client.SendAsync(new JsonObject
        {
            ["type"] = "conversation.item.create",
            ["event_id"] = "evt_output",
            ["item"] = new JsonObject { ["type"] = "function_call_output", ["call_id"] = "call_elsewhere", ["output"] = "sunny" },
        });
        var error = (await client.UntilAsync("error")).Last()["error"]!;
        Assert.Equal(("invalid_request_error", "invalid_tool_call_id", "evt_output"), (error.Str("type"), error.Str("code"), error.Str("event_id")));
        Assert.Equal("Tool call ID 'call_elsewhere' not found in conversation.", error.Str("message"));

        // Created first, the call makes its output welcome.
        await client.SendAsync(new JsonObject
        {
            ["type"] = "conversation.item.create",
            ["item"] = new JsonObject { ["type"] = "function_call", ["call_id"] = "call_elsewhere", ["name"] = "get_weather", ["arguments"] = "{}" },
        });
        await client.UntilAsync("conversation.item.added");
        await client.SendAsync(new JsonObject
        {
            ["type"] = "conversation.item.create",
            ["item"] = new JsonObject { ["type"] = "function_call_output", ["call_id"] = "call_elsewhere", ["output"] = "sunny" },
        });
        var added = await client.UntilAsync("conversation.item.added");
        Assert.DoesNotContain(added, e => e.Type() == "error");
        Assert.Equal("function_call_output", added.Last()["item"]!.Str("type"));
    }

    [Fact]
    public async Task ScriptedSession_FromAJsonFile_IsFollowedInOrder_ThenEchoes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"v2v-script-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """
            { "responses": [
                { "text": "Hello from the script", "audio_ms": 300 },
                { "function_call": { "name": "lookup", "arguments": { "q": "x" } } },
                { "text": "Spoken for as long as its words take" } ] }
            """, TestContext.Current.CancellationToken);
        try
        {
            await using var server = await Servers.StartAsync(o => o.ScriptPath = path);
            var (client, _) = await RealtimeTestClient.StartAsync(server);
            await using var _c = client;

            await client.SendAsync(new JsonObject { ["type"] = "response.create" });
            var first = await client.UntilAsync("response.done");
            Assert.Equal(300 * 24 * 2, first.AudioBytes("response.output_audio.delta"));
            Assert.Equal("Hello from the script", first.OfType("response.output_audio_transcript.done").Single().Str("transcript"));

            await client.SendAsync(new JsonObject { ["type"] = "response.create" });
            var second = await client.UntilAsync("response.done");
            Assert.Equal("""{"q":"x"}""", second.OfType("response.function_call_arguments.done").Single().Str("arguments"));

            await client.SendAsync(new JsonObject { ["type"] = "response.create" });
            var third = await client.UntilAsync("response.done");
            Assert.Equal("Spoken for as long as its words take", third.OfType("response.output_audio_transcript.done").Single().Str("transcript"));
            Assert.True(third.AudioBytes("response.output_audio.delta") > 0);

            await client.SendAsync(ConversationHelpers.UserText("after the script"));
            await client.SendAsync(new JsonObject { ["type"] = "response.create" });
            var fourth = await client.UntilAsync("response.done");
            Assert.Equal("You said: after the script", fourth.OfType("response.output_audio_transcript.done").Single().Str("transcript"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BadScript_IsRefused_NamingTheEntry()
    {
        var e = Assert.Throws<FormatException>(() => Scripting.SimulatorScript.Parse("""{"responses":[{"text":"ok"},{"function_call":{}}]}"""));
        Assert.Contains("responses[1].function_call.name", e.Message, StringComparison.Ordinal);
    }
}
