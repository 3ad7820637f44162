using System.Text;
using System.Text.Json.Nodes;
using V2V.Extension;
using V2V.Playground.Security;
using V2V.Ten;

using V2V.AspNetCore;

namespace V2V.Playground.Tests.Security;

/// <summary>
/// The last line of defence before the browser: the agent's secrets (API key, MCP token) are masked in any JSON event,
/// in the form JSON gives them too (a token with '+' is written <c>\u002B</c>).
/// </summary>
public sealed class SecretMaskTests
{
    private static readonly JsonObject Agent = new()
    {
        ["api_key"] = "sk-test-0123456789",
        ["mcp_authorization"] = " tok+en/with=base64+chars ",
        ["model"] = "gpt-realtime",
    };

    [Fact]
    public void TheKeyAndTheMcpToken_AreMasked_RawAndJsonEscaped()
    {
        var mask = PlaygroundSecrets.Of([Agent]);
        var json = new JsonObject { ["message"] = "key sk-test-0123456789, token tok+en/with=base64+chars" }.ToJsonString();
        Assert.Contains("\\u002B", json, StringComparison.Ordinal); // as the page writer's events write it

        var masked = Encoding.UTF8.GetString(mask.Apply(Encoding.UTF8.GetBytes(json)));
        var raw = Encoding.UTF8.GetString(mask.Apply("key sk-test-0123456789 token tok+en/with=base64+chars"u8.ToArray()));

        Assert.Equal("""{"message":"key ***, token ***"}""", masked);
        Assert.Equal("key *** token ***", raw);
    }

    [Fact]
    public void TheTokensOfTheMcpServersList_AreMasked_AsAListOrAsItsJsonText()
    {
        var list = new JsonArray(
            new JsonObject { ["server_url"] = "https://docs.example.com/mcp", ["server_label"] = "docs" },
            new JsonObject { ["server_url"] = "https://crm.example.com/mcp", ["server_label"] = "crm", ["authorization"] = "crm-token-77" });
        var json = """{"message":"the crm token is crm-token-77"}"""u8.ToArray();

        foreach (var given in new JsonNode[] { list, list.ToJsonString() })
        {
            // As the server resolves an agent's properties: the JSON text of a list is read as the list the manifest declares.
            var agent = TenProperties.Resolve(OpenAIV2VAddon.Create().Manifest, null, new JsonObject { ["mcp_servers"] = given.DeepClone() }, _ => null);
            var masked = PlaygroundSecrets.Of([agent]).Apply(json);

            Assert.Equal("""{"message":"the crm token is ***"}""", Encoding.UTF8.GetString(masked));
        }
    }

    [Fact]
    public void AnEventWithoutSecrets_IsSentAsItIs()
    {
        var json = """{"type":"event","kind":"mcp_tools","tools":["book_table"]}"""u8.ToArray();

        Assert.Same(json, PlaygroundSecrets.Of([Agent]).Apply(json));
        Assert.Same(json, PlaygroundSecrets.Of([new JsonObject { ["api_key"] = "", ["mcp_authorization"] = 5 }]).Apply(json));
    }
}
