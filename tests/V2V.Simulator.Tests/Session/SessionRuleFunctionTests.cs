using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Session;

namespace V2V.Simulator.Tests.Session;

/// <summary>The pure rules behind session.update, and those left for the response and transcription paths to call.</summary>
public sealed class SessionRuleFunctionTests
{
    [Fact]
    public void TranscriptionModels_AreExactlyTheGaSchemasEnum()
    {
        Assert.Equal(GaEnum("AudioTranscription", "model"), TranscriptionModels.OpenAi);
        Assert.Equal(GaEnum("AudioTranscriptionResponse", "model"), TranscriptionModels.OpenAi);
    }

    [Fact]
    public void KnownVoices_AreExactlyTheGaSchemasEnum()
    {
        var schemas = GaSchemas();
        var names = schemas["VoiceIdsShared"]!["anyOf"]!.AsArray().Single(b => b!["enum"] is not null)!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(names, KnownVoices.All);
    }

    [Fact]
    public void OnAzure_AnyTranscriptionModelIsAcceptedAtTheUpdate_OnOpenAiOnlyItsNames()
    {
        Assert.Null(TranscriptionModels.Check(azure: true, "my-transcriber", "session.input_audio_transcription.model"));
        var refused = TranscriptionModels.Check(azure: false, "my-transcriber", "session.input_audio_transcription.model");
        Assert.Equal("invalid_value", refused!.Code);
        Assert.Equal("session.input_audio_transcription.model", refused.Param);
        Assert.StartsWith("Invalid value: 'my-transcriber'. Supported values are: 'whisper-1', ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TranscriptionFailure_OnlyOnAzure_ForADeploymentTheResourceDoesNotHave()
    {
        var deployments = new HashSet<string>(StringComparer.Ordinal) { "whisper-prod" };

        var failure = TranscriptionModels.FailureFor(azure: true, "whisper-typo", deployments);

        Assert.NotNull(failure);
        Assert.Equal("invalid_request_error", failure["type"]!.GetValue<string>());
        Assert.Equal("DeploymentNotFound", failure["code"]!.GetValue<string>());
        Assert.StartsWith("The API deployment for this resource does not exist.", failure["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(failure.ContainsKey("param"));
        Assert.Null(failure["param"]);
        Assert.Null(TranscriptionModels.FailureFor(azure: true, "whisper-prod", deployments));
        Assert.Null(TranscriptionModels.FailureFor(azure: true, null, deployments));
        Assert.Null(TranscriptionModels.FailureFor(azure: false, "whisper-1", deployments));
    }

    [Theory]
    [InlineData("5000", "integer_above_max_value", "Invalid 'response.max_output_tokens': integer above maximum value. Expected a value <= 4096, but got 5000 instead.")]
    [InlineData("0", "integer_below_min_value", "Invalid 'response.max_output_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.")]
    [InlineData("-3", "integer_below_min_value", "Invalid 'response.max_output_tokens': integer below minimum value. Expected a value >= 1, but got -3 instead.")]
    [InlineData("99999999999999999999", "integer_above_max_value", "Invalid 'response.max_output_tokens': integer above maximum value. Expected a value <= 4096, but got 99999999999999999999 instead.")]
    [InlineData("1", null, null)]
    [InlineData("4096", null, null)]
    [InlineData("\"inf\"", null, null)]
    public void MaxOutputTokens_OfAResponse_IsCheckedByTheSameRule(string json, string? code, string? message)
    {
        using var value = JsonDocument.Parse(json);

        var refused = MaxOutputTokens.Check(value.RootElement, "response.max_output_tokens");

        Assert.Equal(code, refused?.Code);
        Assert.Equal(message, refused?.Message);
        Assert.Equal(code is null ? null : "response.max_output_tokens", refused?.Param);
    }

    private static IEnumerable<string> GaEnum(string schema, string property) =>
        GaSchemas()[schema]!["properties"]![property]!["anyOf"]!.AsArray().Single(b => b!["enum"] is not null)!["enum"]!.AsArray().Select(v => v!.GetValue<string>());

    private static JsonNode GaSchemas() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protocol", "openai-realtime-ga.schema.json")))!["components"]!["schemas"]!;
}
