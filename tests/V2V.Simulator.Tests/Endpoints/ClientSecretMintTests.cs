using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using V2V.Simulator.Tests.Schema;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Endpoints;

/// <summary><c>POST /v1/realtime/client_secrets</c> on the openai profile: what a mint answers, and what it refuses.</summary>
public sealed partial class ClientSecretMintTests
{
    [Fact]
    public async Task Mint_WithAnEmptyBody_GivesAnEkKey_ExpiringIn600Seconds_WithTheDefaultSession()
    {
        var clock = new FakeTimeProvider();
        await using var server = await Servers.StartAsync(o => o.TimeProvider = clock);

        var answer = await ClientSecretProbe.SendAsync(HttpMethod.Post, ClientSecretProbe.UriOf(server), body: null);
        var again = await ClientSecretProbe.MintAsync(server);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json", answer.ContentType);
        var value = answer.Body.Str("value");
        Assert.Matches(EkValue(), value);
        Assert.NotEqual(value, again.Body.Str("value"));
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds() + 600, answer.Body["expires_at"]!.GetValue<long>());
        var session = answer.Body["session"]!;
        Assert.Equal(("realtime", "realtime.session", "gpt-realtime"), (session.Str("type"), session.Str("object"), session.Str("model")));
        Assert.StartsWith("sess_", session.Str("id"), StringComparison.Ordinal);
        Assert.Equal("alloy", session["audio"]!["output"]!.Str("voice"));
        Assert.Equal("server_vad", session["audio"]!["input"]!["turn_detection"]!.Str("type"));
        Assert.Empty(ProtocolSchemaValidator.Ga.ValidateComponent("RealtimeCreateClientSecretResponse", answer.Body));
    }

    [Fact]
    public async Task Mint_WithExpiresAfterAndASession_ReportsThem_WithoutTheMcpToken()
    {
        var clock = new FakeTimeProvider();
        await using var server = await Servers.StartAsync(o => o.TimeProvider = clock);
        var request = JsonNode.Parse("""
            {
              "expires_after": { "anchor": "created_at", "seconds": 120 },
              "session": {
                "type": "realtime",
                "model": "gpt-realtime-mini",
                "instructions": "Speak like a pirate.",
                "audio": { "output": { "voice": "marin" }, "input": { "turn_detection": null } },
                "tools": [{ "type": "mcp", "server_label": "kitchen", "server_url": "http://127.0.0.1:9/mcp", "authorization": "mcp-token-77", "require_approval": "never" }]
              }
            }
            """)!.AsObject();

        var answer = await ClientSecretProbe.MintAsync(server, request);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds() + 120, answer.Body["expires_at"]!.GetValue<long>());
        var session = answer.Body["session"]!;
        Assert.Equal(("gpt-realtime-mini", "Speak like a pirate.", "marin"), (session.Str("model"), session.Str("instructions"), session["audio"]!["output"]!.Str("voice")));
        Assert.Null(session["audio"]!["input"]!["turn_detection"]);
        Assert.Equal("kitchen", session["tools"]![0]!.Str("server_label"));
        Assert.Null(session["tools"]![0]!["authorization"]);
        Assert.DoesNotContain("mcp-token-77", answer.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(ProtocolSchemaValidator.Ga.ValidateComponent("RealtimeCreateClientSecretResponse", answer.Body));
    }

    [Theory]
    [InlineData("""{"expires_after":{"seconds":5}}""", "expires_after.seconds", "integer_below_min_value")]
    [InlineData("""{"expires_after":{"seconds":7201}}""", "expires_after.seconds", "integer_above_max_value")]
    [InlineData("""{"expires_after":{"seconds":"60"}}""", "expires_after.seconds", "invalid_type")]
    [InlineData("""{"expires_after":{"anchor":"now","seconds":60}}""", "expires_after.anchor", "invalid_value")]
    [InlineData("""{"expires_after":{"seconds":60,"grace":5}}""", "expires_after.grace", "unknown_parameter")]
    [InlineData("""{"model":"gpt-realtime"}""", "model", "unknown_parameter")]
    [InlineData("""{"session":{"type":"transcription"}}""", "session.type", "unsupported_session_type")]
    [InlineData("""{"session":{"instructions":"hi"}}""", "session.type", "missing_required_parameter")]
    [InlineData("""{"session":{"type":"realtime","voice":"alloy"}}""", "session.voice", "unknown_parameter")]
    [InlineData("""{"session":{"type":"realtime","audio":{"output":{"voice":"nova"}}}}""", "session.audio.output.voice", "invalid_value")]
    [InlineData("""{"session":{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","silence_duration_ms":-1}}}}}""", "session.audio.input.turn_detection.silence_duration_ms", "integer_below_min_value")]
    [InlineData("""{"session":{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad","idle_timeout_ms":100}}}}}""", "session.audio.input.turn_detection.idle_timeout_ms", "integer_below_min_value")]
    [InlineData("""{"session":{"type":"realtime","output_modalities":["text","audio"]}}""", "session.output_modalities", "invalid_value")]
    [InlineData("""{"session":{"type":"realtime","max_output_tokens":5000}}""", "session.max_output_tokens", "integer_above_max_value")]
    public async Task AnInvalidField_Gets400_NamingItsParam(string body, string param, string code)
    {
        await using var server = await Servers.StartAsync();

        var answer = await ClientSecretProbe.SendAsync(HttpMethod.Post, ClientSecretProbe.UriOf(server), body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(("invalid_request_error", param, code), (answer.Error.Str("type"), answer.Error.Str("param"), answer.Error.Str("code")));
        if (param == "expires_after.seconds" && code != "invalid_type")
        {
            Assert.Contains("between 10 and 7200", answer.Error.Str("message"), StringComparison.Ordinal);
        }

        if (param == "session.type" && code == "unsupported_session_type")
        {
            Assert.Contains("does not run transcription sessions", answer.Error.Str("message"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"session": """, "application/json")]
    [InlineData("""{"expires_after":{"seconds":60}}""", "application/x-www-form-urlencoded")]
    [InlineData("[1, 2]", "application/json")]
    public async Task ABodyThatIsNotAJsonObject_Gets400_SayingSo(string body, string contentType)
    {
        await using var server = await Servers.StartAsync();

        var answer = await ClientSecretProbe.SendAsync(HttpMethod.Post, ClientSecretProbe.UriOf(server), body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("invalid_request_error", answer.Error.Str("type"));
        Assert.Contains("JSON", answer.Error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyOverOneMebibyte_Gets413()
    {
        await using var server = await Servers.StartAsync();
        var instructions = new string('x', 1 << 20);

        var answer = await ClientSecretProbe.SendAsync(HttpMethod.Post, ClientSecretProbe.UriOf(server), $$$"""{"session":{"type":"realtime","instructions":"{{{instructions}}}"}}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Contains("1048576 bytes", answer.Error.Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Gets405_AllowingPost()
    {
        await using var server = await Servers.StartAsync();

        var answer = await ClientSecretProbe.SendAsync(HttpMethod.Get, ClientSecretProbe.UriOf(server), body: null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
        Assert.Equal(["POST"], answer.Allow);
        Assert.Equal("invalid_request_error", answer.Error.Str("type"));
    }

    [Fact]
    public async Task WrongOrMissingKey_WithAnApiKeySet_Gets401_AsTheHandshakes()
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = "sk-right");

        var wrong = await ClientSecretProbe.MintAsync(server, bearer: "sk-wrong-key-1234");
        var missing = await ClientSecretProbe.MintAsync(server);
        var right = await ClientSecretProbe.MintAsync(server, bearer: "sk-right");

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_api_key"), (wrong.Status, wrong.Error.Str("code")));
        Assert.DoesNotContain("sk-wrong-key-1234", wrong.Error.Str("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Contains("didn't provide an API key", missing.Error.Str("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk-right")]
    public async Task AnEphemeralKey_CannotMintAnother(string? apiKey)
    {
        await using var server = await Servers.StartAsync(o => o.ApiKey = apiKey);
        var ek = await ClientSecretProbe.MintValueAsync(server, bearer: "sk-right");

        var answer = await ClientSecretProbe.MintAsync(server, bearer: ek);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("invalid_request_error", answer.Error.Str("type"));
        Assert.Contains("ephemeral key", answer.Error.Str("message"), StringComparison.Ordinal);
        Assert.Contains("standard API key", answer.Error.Str("message"), StringComparison.Ordinal);
        Assert.DoesNotContain(ek, answer.Body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenFull_AMintGets429_SayingHowManyAreLive_UntilSomeExpire()
    {
        var clock = new FakeTimeProvider();
        await using var server = await Servers.StartAsync(o =>
        {
            o.TimeProvider = clock;
            o.MaxLiveClientSecrets = 3;
        });
        for (var i = 0; i < 3; i++)
        {
            await ClientSecretProbe.MintValueAsync(server, new JsonObject { ["expires_after"] = new JsonObject { ["seconds"] = 10 + i } });
        }

        var full = await ClientSecretProbe.MintAsync(server);
        clock.Advance(TimeSpan.FromSeconds(11));
        var roomAgain = await ClientSecretProbe.MintAsync(server);

        Assert.Equal(HttpStatusCode.TooManyRequests, full.Status);
        Assert.Equal("rate_limit_exceeded", full.Error.Str("code"));
        Assert.Contains("3 have not expired", full.Error.Str("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, roomAgain.Status);
    }

    [Theory]
    [InlineData("/openai/v1/realtime")]
    [InlineData("/openai/realtime")]
    public async Task AnotherProfilesPath_Gets404_NamingTheProfile(string realtimePath)
    {
        await using var server = await Servers.StartAsync();

        var answer = await ClientSecretProbe.SendAsync(HttpMethod.Post, ClientSecretProbe.At(server, realtimePath), "{}");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Contains("'openai' profile", answer.Error.Str("message"), StringComparison.Ordinal);
    }

    [GeneratedRegex("^ek_[0-9a-f]{32}$")]
    private static partial Regex EkValue();
}
