using V2V.Realtime.Protocol;

namespace V2V.Voice.Tests.Tools;

/// <summary>
/// <see cref="VoiceSessionOptions.McpServers"/> the service could not use are refused before connecting, each naming the
/// server and the fix: the service, not this process, reaches the server.
/// </summary>
public sealed class McpServerOptionsTests
{
    private static readonly Uri Remote = new("https://mcp.example.com/mcp");

    [Theory]
    [InlineData("loopback-remote-service", "'tools': Url http://127.0.0.1:5000 is on this machine, which the realtime service cannot reach")]
    [InlineData("plain-http", "'tools': Url must be https:// (the token and the calls would cross the internet in the clear)")]
    [InlineData("not-http", "'tools': Url must be an absolute https:// URL (got 'ftp://mcp.example.com/')")]
    [InlineData("bad-label", "Label must be 1 to 64 letters, digits, '-' or '_' (got 'my tools')")]
    [InlineData("duplicate", "must label each server once (two are labelled 'tools')")]
    [InlineData("never-with-exceptions", "'tools': ToolsWithoutApproval is for Approval Always (with Never no call waits); leave it empty")]
    [InlineData("token-twice", "'tools': both Authorization and a 'authorization' header are set; give the token once, in Authorization")]
    public void AServerTheServiceCouldNotUse_IsRefused_NamingItAndTheFix(string fault, string message)
    {
        var options = new VoiceSessionOptions { Connection = new() { BaseUri = new Uri("wss://api.openai.com") } };
        var server = fault switch
        {
            "loopback-remote-service" => new McpServer { Label = "tools", Url = new Uri("http://127.0.0.1:5000/mcp") },
            "plain-http" => new McpServer { Label = "tools", Url = new Uri("http://mcp.example.com/mcp") },
            "not-http" => new McpServer { Label = "tools", Url = new Uri("ftp://mcp.example.com/") },
            "bad-label" => new McpServer { Label = "my tools", Url = Remote },
            "never-with-exceptions" => new McpServer { Label = "tools", Url = Remote, Approval = McpApproval.Never, ToolsWithoutApproval = ["get_weather"] },
            "token-twice" => new McpServer { Label = "tools", Url = Remote, Authorization = "t", Headers = new Dictionary<string, string> { ["authorization"] = "Bearer t" } },
            _ => new McpServer { Label = "tools", Url = Remote },
        };
        options.McpServers.Add(server);
        if (fault == "duplicate")
        {
            options.McpServers.Add(new McpServer { Label = "tools", Url = new Uri("https://other.example.com/mcp") });
        }

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(VoiceSessionOptions.McpServers), ex.ParamName);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AServerOnThisMachine_IsTaken_WithALocalRealtimeServer()
    {
        var options = new VoiceSessionOptions { Connection = new() { BaseUri = new Uri("ws://127.0.0.1:7000") } };
        options.McpServers.Add(new McpServer { Label = "tools", Url = new Uri("http://127.0.0.1:5000/mcp") });

        options.Validate();
    }

    [Fact]
    public void OnTheBetaDialect_McpServers_AreRefused()
    {
        var options = new VoiceSessionOptions { Connection = new() { Dialect = RealtimeDialect.Beta } };
        options.McpServers.Add(new McpServer { Label = "tools", Url = Remote });

        var failures = new VoiceSessionOptionsValidator().Validate(null, options).Failures!;

        Assert.Contains(failures, f => f.StartsWith("McpServers needs the GA dialect: the beta protocol (Azure's preview endpoint) has no mcp tools", StringComparison.Ordinal));
    }

    [Fact]
    public void ItsText_NamesTheServer_NotItsSecrets()
    {
        var server = new McpServer
        {
            Label = "crm",
            Url = new Uri("https://mcp.example.com/mcp?key=url-secret"),
            Authorization = "token-secret",
            Headers = new Dictionary<string, string> { ["X-Api-Key"] = "header-secret" },
        };

        var text = server.ToString();

        Assert.Equal("crm (https://mcp.example.com/mcp)", text);
    }
}
