using System.Text.Json.Nodes;
using V2V.Extension.Properties;
using V2V.Ten;
using V2V.Voice;

namespace V2V.Extension.Tests.Properties;

/// <summary>The property table drives reading: every row sets its option, and refuses a value of the wrong type by name.</summary>
public sealed class PropertyTableTests
{
    public static TheoryData<string> RowNames => [.. PropertyTable.Rows.Select(r => r.Name)];

    public static TheoryData<string> ChoiceNames => [.. PropertyTable.Rows.Where(r => r.Allowed.Count > 0).Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(RowNames))]
    public void EveryRow_RefusesAValueOfAnotherType_NamingTheProperty(string name)
    {
        var row = Row(name);
        // A number where text is wanted, text where anything else is.
        JsonNode wrong = row.Type == "string" ? JsonValue.Create(42) : JsonValue.Create("not-a-" + row.Type);

        var ex = Assert.Throws<TenPropertyException>(() => V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", [name] = wrong }));

        Assert.Equal(name, ex.Property);
        Assert.StartsWith($"openai_v2v: property '{name}' must be ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(row.Doc, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ChoiceNames))]
    public void EveryChoice_RefusesAValueItDoesNotAllow_SayingWhichItDoes(string name)
    {
        var row = Row(name);

        var ex = Assert.Throws<TenPropertyException>(() => V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", [name] = "nonsense" }));

        Assert.Equal(name, ex.Property);
        Assert.All(row.Allowed, a => Assert.Contains($"\"{a}\"", ex.Message, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RowNames))]
    public void EveryRow_SetsItsOption(string name)
    {
        var row = Row(name);
        var value = GoodValueOtherThanDefault(row);

        var properties = new JsonObject { ["api_key"] = "sk-test", [name] = value.DeepClone() };
        if (name == "vendor")
        {
            properties["path"] = "/openai/realtime?api-version=2025-04-01-preview&deployment=test"; // azure needs one
        }
        if (name == "truncation_token_limit")
        {
            properties["retention_ratio"] = 0.8; // a token limit is one of retention's
        }
        if (name == "dialect")
        {
            properties["base_uri"] = "wss://example.org/"; // beta is refused on api.openai.com, which retired it
        }
        var settings = V2VPropertyReader.Read(properties);

        Assert.NotEqual(row.Default, row.ValueIn(settings));
        Assert.Equal(Shown(value), row.ValueIn(settings));
    }

    [Fact]
    public void AnAliasGivenAlone_SetsTheOption_AndTheLaterRowWinsWhenBothAreGiven()
    {
        var alone = V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["history"] = 3, ["prompt"] = "Be brief." });
        var both = V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["history"] = 3, ["max_history"] = 7, ["prompt"] = "Be brief.", ["system_message"] = "Be kind." });

        Assert.Equal((3, "Be brief."), (alone.Session.MaxHistory, alone.Session.Instructions));
        // max_history comes after its alias history; prompt (TEN-Agent's name) comes after system_message, which the
        // shipped property.json gives: a graph's prompt must win over it.
        Assert.Equal((7, "Be brief."), (both.Session.MaxHistory, both.Session.Instructions));
    }

    [Fact]
    public void VadType_And_VadEagerness_SetTheTurnDetection_AndServerVadIsTheDefault()
    {
        var semantic = V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["server_vad"] = true, ["vad_type"] = "semantic_vad", ["vad_eagerness"] = "low" });
        var byDefault = V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test" });

        Assert.Equal((Voice.TurnMode.SemanticVad, "low"), (semantic.Session.TurnMode, semantic.Session.SemanticVadEagerness));
        Assert.Equal(Voice.TurnMode.ServerVad, byDefault.Session.TurnMode);
    }

    [Theory]
    [InlineData("en-US", "Hi, there.")]
    [InlineData("zh-CN", "你好。")]
    [InlineData("ja-JP", "こんにちは")]
    [InlineData("ko-KR", "안녕하세요")]
    public void NoGreeting_IsTheLanguagesShortHello_AndGreetOnJoinFalseSaysNothing(string language, string hello)
    {
        Assert.Equal(hello, V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["language"] = language }).GreetingToSay);
        Assert.Null(V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["language"] = language, ["greet_on_join"] = false }).GreetingToSay);
        Assert.Equal("Welcome!", V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["greeting"] = "Welcome!" }).GreetingToSay);
    }

    [Fact]
    public void EmptyText_MeansNotSet()
    {
        var settings = V2VPropertyReader.Read(new JsonObject { ["api_key"] = "", ["vendor"] = "", ["dialect"] = " ", ["model"] = "", ["turn_detection"] = "", ["server_vad"] = false });

        Assert.True(settings.NeedsKeylessEndpoint);
        Assert.Equal(("openai", "ga", "gpt-realtime"), (Row("vendor").ValueIn(settings), Row("dialect").ValueIn(settings), settings.Session.Connection.Model));
        Assert.Equal(V2V.Voice.TurnMode.LocalVad, settings.Session.TurnMode);
    }

    [Fact]
    public void StreamId_IsTheAgentsStream_AndNamesItsDumps()
    {
        var settings = V2VPropertyReader.Read(new JsonObject { ["stream_id"] = 1234 });

        Assert.Equal((1234L, "1234"), (settings.StreamId, settings.Session.DumpName));
    }

    private static PropertyRow Row(string name) => PropertyTable.Rows.Single(r => r.Name == name);

    // A value each row accepts (inside the voice session's ranges), unlike its default.
    [Fact]
    public void TheMcpProperties_GiveTheSessionOneServer_AndItsTokenIsNeverShown()
    {
        var settings = V2VPropertyReader.Read(new JsonObject
        {
            ["api_key"] = "sk-test",
            ["mcp_server_url"] = "https://mcp.example.com/mcp",
            ["mcp_server_label"] = "crm",
            ["mcp_authorization"] = "mcp-secret-1",
            ["mcp_allowed_tools"] = "find_customer, open_ticket",
            ["mcp_require_approval"] = "never",
        });
        var none = V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["mcp_server_label"] = "crm" });

        var server = Assert.Single(settings.Session.McpServers);
        Assert.Equal(("crm", "https://mcp.example.com/mcp", "mcp-secret-1", McpApproval.Never), (server.Label, server.Url.AbsoluteUri, server.Authorization, server.Approval));
        Assert.Equal(["find_customer", "open_ticket"], server.AllowedTools);
        Assert.Empty(none.Session.McpServers); // no URL, no server
        var wrongType = Assert.Throws<TenPropertyException>(() => V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["mcp_authorization"] = 12345 }));
        Assert.DoesNotContain("12345", wrongType.Message, StringComparison.Ordinal);
        var notUrl = Assert.Throws<TenPropertyException>(() => V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["mcp_server_url"] = "mcp.example.com" }));
        Assert.Equal("mcp_server_url", notUrl.Property);
        Assert.Contains("must be an absolute https:// URL, got \"mcp.example.com\"", notUrl.Message, StringComparison.Ordinal);
        // A server the service could not reach is refused by the session's rule, named by the property that set it.
        var local = Assert.Throws<TenPropertyException>(() => V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["mcp_server_url"] = "http://127.0.0.1:9000/mcp" }));
        Assert.Equal("mcp_server_url", local.Property);
        Assert.Contains("which the realtime service cannot reach", local.Message, StringComparison.Ordinal);
    }

    private static JsonNode GoodValueOtherThanDefault(PropertyRow row) => row.Name switch
    {
        "base_uri" => "wss://example.org/",
        "sample_rate" => 16000,
        "temperature" or "vad_threshold" => row.Default == "0.25" ? 0.5 : 0.25,
        "input_quiet_dbfs" => -60.5,
        "idle_timeout_ms" => 8000,
        "speed" => 1.25,
        "retention_ratio" => 0.8,
        "mcp_server_url" => "https://mcp.example.com/mcp",
        "voice" => "marin", // a voice the service speaks with: any other name is refused before connecting
        _ when row.Allowed.Count > 0 => row.Allowed.First(a => a != row.Default),
        _ => row.Type switch
        {
            "string" => "x-test",
            "bool" => row.Default != "true",
            _ => 50,
        },
    };

    private static string Shown(JsonNode value) => value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
}
