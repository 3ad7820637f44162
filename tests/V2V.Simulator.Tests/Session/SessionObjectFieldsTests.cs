using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Session;

/// <summary>
/// The session object of session.created / session.updated holds every field that the service sends, as the
/// examples in the schema files show them (the schemas let fields be absent; clients written against the service
/// do not). Compared field by field, descending where both sides are objects. No field of either example is
/// impossible for a local server, so there is no exception list.
/// </summary>
public sealed class SessionObjectFieldsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SessionCreatedAndUpdated_HaveEveryFieldOfTheDocumentedExamples(bool beta)
    {
        var file = beta ? "openai-realtime-beta.schema.json" : "openai-realtime-ga.schema.json";
        var createdExample = ExampleSession(file, "RealtimeServerEventSessionCreated");
        var updatedExample = ExampleSession(file, "RealtimeServerEventSessionUpdated");
        await using var server = await Servers.StartAsync(beta);
        var (client, created) = await RealtimeTestClient.StartAsync(server, beta);
        await using var _c = client;

        Assert.Equal([], MissingFields(createdExample, created, "session"));

        // Settings like those of the session.updated example, so that its nested objects (transcription) are compared too.
        await client.SendRawAsync(beta
            ? """{"type":"session.update","session":{"modalities":["text"],"instructions":"New instructions","input_audio_transcription":{"model":"whisper-1"},"turn_detection":null,"tool_choice":"none","temperature":0.7,"max_response_output_tokens":200}}"""
            : """{"type":"session.update","session":{"type":"realtime","tools":[{"type":"function","name":"display_color_palette","parameters":{"type":"object","properties":{}}}],"audio":{"input":{"transcription":{"model":"whisper-1"},"noise_reduction":{"type":"near_field"}}}}}""");
        var updated = (await client.UntilAsync("session.updated")).Last()["session"]!.AsObject();

        Assert.Equal([], MissingFields(updatedExample, updated, "session"));
        Assert.Equal([], MissingFields(createdExample, updated, "session"));
    }

    [Fact]
    public async Task GaSession_ReportsWhatIsOff_AsNull_AsTheExamplesDo()
    {
        await using var server = await Servers.StartAsync();
        var (client, session) = await RealtimeTestClient.StartAsync(server);
        await using var _c = client;

        var input = session["audio"]!["input"]!.AsObject();
        Assert.Null(input["transcription"]);
        Assert.Null(input["noise_reduction"]);
        Assert.True(input.ContainsKey("transcription") && input.ContainsKey("noise_reduction"));
        Assert.Null(input["turn_detection"]!["idle_timeout_ms"]);
        Assert.True(session.ContainsKey("prompt") && session.ContainsKey("include") && session.ContainsKey("tracing"));
        Assert.Null(session["prompt"]);
        Assert.Null(session["include"]);
    }

    [Fact]
    public async Task BetaSession_HasTheFieldsTheServiceSentBeyondTheExample()
    {
        await using var server = await Servers.StartAsync(beta: true);
        var (client, session) = await RealtimeTestClient.StartAsync(server, beta: true);
        await using var _c = client;

        // expires_at: sent from the first beta sessions on (clients read the session's end from it).
        Assert.InRange(session["expires_at"]!.GetValue<long>(), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds());
        // input_audio_noise_reduction: in the file's own session schema, off (null) by default.
        Assert.True(session.ContainsKey("input_audio_noise_reduction"));
        Assert.Null(session["input_audio_noise_reduction"]);
        // client_secret: only a session minted over REST for a browser has one; a WebSocket session's is null.
        Assert.True(session.ContainsKey("client_secret"));
        Assert.Null(session["client_secret"]);
        Assert.Equal(1.0, session["speed"]!.GetValue<double>());
        Assert.True(session.ContainsKey("tracing"));
    }

    /// <summary>The <c>session</c> of an event's documented example (the GA file's examples end objects with a trailing comma).</summary>
    internal static JsonObject ExampleSession(string file, string eventSchema)
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protocol", file)))!;
        var example = document["components"]!["schemas"]![eventSchema]!["x-oaiMeta"]!["example"]!.GetValue<string>();
        return JsonNode.Parse(example, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true })!["session"]!.AsObject();
    }

    /// <summary>Dotted paths of the example's fields that <paramref name="actual"/> lacks, descending where both are objects.</summary>
    internal static List<string> MissingFields(JsonObject example, JsonObject actual, string path)
    {
        var missing = new List<string>();
        foreach (var (name, value) in example)
        {
            if (!actual.TryGetPropertyValue(name, out var actualValue))
            {
                missing.Add($"{path}.{name}");
            }
            else if (value is JsonObject exampleObject && actualValue is JsonObject actualObject)
            {
                missing.AddRange(MissingFields(exampleObject, actualObject, $"{path}.{name}"));
            }
        }

        return missing;
    }
}
