using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Responses;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Schema;

/// <summary>
/// The proof that the server speaks the published protocol: full sessions in each dialect (VAD turn with
/// transcription, text, tool call and output, truncate, cancel, errors, rate limits, item retrieve and delete)
/// and every event the server sent is validated against its schema in the dialect's file.
/// </summary>
public sealed class SchemaProofTests
{
    [Theory]
    [InlineData(ServiceProfile.OpenAi)]
    [InlineData(ServiceProfile.Azure)]
    [InlineData(ServiceProfile.AzurePreview)]
    public async Task EveryEventOfAFullSession_ValidatesAgainstTheDialectsSchema(ServiceProfile profile)
    {
        // Beta is spoken only by the azure-preview profile (OpenAI retired it).
        var beta = profile == ServiceProfile.AzurePreview;
        await using var server = await Servers.StartAsync(o =>
        {
            o.Profile = profile;
            o.SpeedFactor = 1;
        });
        var (client, _) = await RealtimeTestClient.StartAsync(server, beta);
        await using var _c = client;
        var audioDelta = beta ? "response.audio.delta" : "response.output_audio.delta";

        // Session with tools and transcription, then a VAD turn answered with audio.
        var update = Turns.ServerVadTurnTests.VadUpdate(!beta);
        update["session"]!["instructions"] = "Proof.";
        if (profile == ServiceProfile.Azure)
        {
            update["session"]!["audio"]!["input"]!["transcription"]!["model"] = "gpt-4o-transcribe"; // a deployment of the resource
        }

        update["session"]!["tools"] = JsonNode.Parse("""[{"type":"function","name":"get_time","parameters":{"type":"object","properties":{}}}]""");
        await client.SendAsync(update);
        await client.UntilAsync("session.updated");
        await client.AppendAudioAsync(TestAudio.Turn(300, 800, 400));
        var turn = await client.UntilAsync("response.done");
        var assistantItem = turn.Last()["response"]!["output"]![0]!.Str("id");

        // Truncate (valid and invalid), retrieve, delete.
        await client.SendAsync(new JsonObject { ["type"] = "conversation.item.truncate", ["item_id"] = assistantItem, ["content_index"] = 0, ["audio_end_ms"] = 200 });
        await client.UntilAsync("conversation.item.truncated");
        await client.SendAsync(new JsonObject { ["type"] = "conversation.item.truncate", ["item_id"] = assistantItem, ["content_index"] = 0, ["audio_end_ms"] = 9000 });
        await client.UntilAsync("error");
        await client.SendAsync(new JsonObject { ["type"] = "conversation.item.retrieve", ["item_id"] = assistantItem });
        await client.UntilAsync("conversation.item.retrieved");

        // Text, tool call, tool output.
        await client.SendAsync(ConversationHelpers.UserText("hi"));
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        await client.UntilAsync("response.done");
        await client.SendAsync(new JsonObject { ["type"] = "response.create", ["response"] = new JsonObject { [beta ? "modalities" : "output_modalities"] = new JsonArray("text") } });
        await client.UntilAsync("response.done");
        await client.SendAsync(ConversationHelpers.UserText("get_time please"));
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        var call = (await client.UntilAsync("response.function_call_arguments.done")).Last();
        await client.UntilAsync("response.done");
        await client.SendAsync(new JsonObject
        {
            ["type"] = "conversation.item.create",
            ["item"] = new JsonObject { ["type"] = "function_call_output", ["call_id"] = call.Str("call_id"), ["output"] = "noon" },
        });
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        await client.UntilAsync("response.done");

        // A response cancelled by the client, then barge-in, then errors and buffer events.
        await client.SendRawAsync(beta ? """{"type":"session.update","session":{"turn_detection":null}}""" : """{"type":"session.update","session":{"type":"realtime","audio":{"input":{"turn_detection":null}}}}""");
        await client.UntilAsync("session.updated");
        await client.AppendAudioAsync(TestAudio.Turn(0, 2000, 0));
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.commit" });
        await client.SendAsync(new JsonObject { ["type"] = "response.create" });
        await client.UntilAsync(audioDelta);
        await client.SendAsync(new JsonObject { ["type"] = "response.cancel" });
        await client.UntilAsync("response.done");
        await client.SendAsync(new JsonObject { ["type"] = "conversation.item.delete", ["item_id"] = assistantItem });
        await client.UntilAsync("conversation.item.deleted");
        await client.SendRawAsync("""{"type":"session.update","event_id":"bad","session":{"tools":"nope"}}""");
        await client.UntilAsync("error");
        await client.AppendAudioAsync(TestAudio.Silence(100));
        await client.SendAsync(new JsonObject { ["type"] = "input_audio_buffer.clear" });
        await client.UntilAsync("input_audio_buffer.cleared");

        var validator = beta ? ProtocolSchemaValidator.Beta : ProtocolSchemaValidator.Ga;
        var problems = client.Received.SelectMany(validator.Validate).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));

        // Field by field against the service's documented examples: the schema lets fields be absent, clients do not.
        var examples = beta ? DocumentedExamples.Beta : DocumentedExamples.Ga;
        var missingFields = client.Received.SelectMany(examples.MissingFields).Distinct().ToList();
        Assert.True(missingFields.Count == 0, string.Join(Environment.NewLine, missingFields));

        var types = client.Received.Select(e => e.Type()).ToHashSet();
        string[] expected =
        [
            "session.created", "session.updated", "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped",
            "input_audio_buffer.committed", beta ? "conversation.item.created" : "conversation.item.added", "conversation.item.input_audio_transcription.completed",
            "response.created", "rate_limits.updated", "response.output_item.added", "response.content_part.added", audioDelta,
            "response.content_part.done", "response.output_item.done", "response.done", "conversation.item.truncated",
            "conversation.item.retrieved", "conversation.item.deleted", "response.function_call_arguments.delta",
            "response.function_call_arguments.done", "error", "input_audio_buffer.cleared",
            beta ? "response.text.delta" : "response.output_text.delta",
            beta ? "response.audio_transcript.done" : "response.output_audio_transcript.done",
        ];
        Assert.Empty(expected.Except(types));
        if (!beta)
        {
            // The GA service announces items with added/done only; conversation.item.created is beta's.
            Assert.Contains("conversation.item.done", types);
            Assert.DoesNotContain("conversation.item.created", types);
        }
    }

    [Fact]
    public void TheValidator_RejectsWhatTheSchemaForbids()
    {
        // Guards the proof itself: a validator that accepted everything would prove nothing.
        var bad = JsonNode.Parse("""{"type":"input_audio_buffer.speech_started","event_id":"event_1","audio_start_ms":"soon"}""")!.AsObject();
        Assert.NotEmpty(ProtocolSchemaValidator.Ga.Validate(bad));
        Assert.NotEmpty(ProtocolSchemaValidator.Beta.Validate(bad));
        var wrongDialect = JsonNode.Parse("""{"type":"response.audio.delta","event_id":"e","response_id":"r","item_id":"i","output_index":0,"content_index":0,"delta":""}""")!.AsObject();
        Assert.NotEmpty(ProtocolSchemaValidator.Ga.Validate(wrongDialect));
        Assert.Empty(ProtocolSchemaValidator.Beta.Validate(wrongDialect));
    }
}
