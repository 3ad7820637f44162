namespace V2V.Cli.Tests;

/// <summary><c>v2v serve --graph</c> checks the TEN app's graph once, at start, as <c>v2v graph validate</c> does.</summary>
public sealed class ServeGraphTests
{
    [Fact]
    public async Task TenAppGraph_WithAForeignAddonUnbound_IsRefusedAtStart_NamingTheBind()
    {
        var (code, output) = await CliProcess.RunAsync("serve", "--port", "0", "--graph", RepositoryFiles.TenFixture("default.property.json"),
            "--graph-name", "voice_assistant_realtime");

        Assert.Equal(2, code);
        // agora_rtc is the page's (playground_rtc) without being asked; only the weather tool needs a bind.
        Assert.Contains("Bind the nodes whose addon does not run here: --bind weatherapi_tool_python=time_tool", output, StringComparison.Ordinal);
        Assert.DoesNotContain("agora_rtc=", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppWithSeveralGraphs_AndNoGraphName_IsRefused_NamingTheFlag()
    {
        var (code, output) = await CliProcess.RunAsync("serve", "--port", "0", "--graph", RepositoryFiles.TenFixture("default.property.json"));

        Assert.Equal(2, code);
        Assert.Contains("name it with --graph-name NAME", output, StringComparison.Ordinal);
    }
}
