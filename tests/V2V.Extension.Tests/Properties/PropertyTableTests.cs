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

    [Fact]
    public void TheMcpServersList_AddsServersToTheFlatOne_AsAGraphOrAsJsonText_AndItsTokensAreNeverShown()
    {
        var list = new JsonArray(
            new JsonObject { ["server_url"] = "https://docs.example.com/mcp", ["server_label"] = "docs", ["allowed_tools"] = "search, fetch", ["require_approval"] = "never" },
            new JsonObject { ["server_url"] = "https://crm.example.com/mcp", ["server_label"] = "crm", ["authorization"] = "crm-secret-2" });
        var properties = new JsonObject
        {
            ["api_key"] = "sk-test",
            ["mcp_server_url"] = "https://mcp.example.com/mcp",
            ["mcp_server_label"] = "tickets",
            ["mcp_servers"] = list.DeepClone(),
        };

        var servers = V2VPropertyReader.Read(properties).Session.McpServers;
        properties["mcp_servers"] = list.ToJsonString(); // as --set or ${env:NAME} give it, read by the host as the manifest declares it
        var fromText = V2VPropertyReader.Read(TenProperties.Resolve(OpenAIV2VAddon.Create().Manifest, null, properties, _ => null));

        Assert.Equal(["tickets", "docs", "crm"], servers.Select(s => s.Label));
        Assert.Equal(servers.Select(s => (s.Label, s.Url, s.Authorization, s.Approval)), fromText.Session.McpServers.Select(s => (s.Label, s.Url, s.Authorization, s.Approval)));
        Assert.Equal(["search", "fetch"], servers[1].AllowedTools);
        Assert.Equal((McpApproval.Never, McpApproval.Always), (servers[1].Approval, servers[2].Approval));
        Assert.Equal("crm-secret-2", servers[2].Authorization);
        var shown = Row("mcp_servers").ValueIn(fromText);
        Assert.Contains("\"server_label\":\"crm\",\"authorization\":\"***\"", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-secret-2", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"server_label":"docs"}]""", "[0].server_url is missing")]
    [InlineData("""[{"server_url":"docs.example.com","server_label":"docs"}]""", "[0].server_url must be an absolute https:// URL")]
    [InlineData("""[{"server_url":"https://a.example.com/mcp","server_label":"a"},{"server_url":"https://b.example.com/mcp"}]""", "[1].server_label is missing")]
    [InlineData("""[{"url":"https://a.example.com/mcp","server_label":"a"}]""", "[0] has a field 'url' it does not know")]
    [InlineData("""[{"server_url":"https://a.example.com/mcp","server_label":"a","require_approval":"sometimes"}]""", "[0].require_approval must be \"always\" or \"never\"")]
    [InlineData("""["https://a.example.com/mcp"]""", "[0] must be an object")]
    [InlineData("""[{"server_url":"https://a.example.com/mcp","server_label":"a","authorization":{"token":"crm-secret-3"}}]""", "[0].authorization must be a string, got a object (value hidden)")]
    public void AServerOfTheList_ThatCannotWork_IsRefused_NamingItsPlaceAndField(string list, string problem)
    {
        var refused = Assert.Throws<TenPropertyException>(() => V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["mcp_servers"] = JsonNode.Parse(list) }));

        Assert.Equal("mcp_servers", refused.Property);
        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-secret-3", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoServersOfOneLabel_AreRefusedByTheSession_NamingTheListProperty()
    {
        var refused = Assert.Throws<TenPropertyException>(() => V2VPropertyReader.Read(new JsonObject
        {
            ["api_key"] = "sk-test",
            ["mcp_servers"] = JsonNode.Parse("""[{"server_url":"https://a.example.com/mcp","server_label":"docs"},{"server_url":"https://b.example.com/mcp","server_label":"docs"}]"""),
        }));

        Assert.Equal("mcp_servers", refused.Property);
        Assert.Contains("docs", refused.Message, StringComparison.Ordinal);
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
        "mcp_servers" => new JsonArray(new JsonObject { ["server_url"] = "https://mcp.example.com/mcp", ["server_label"] = "docs" }),
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
