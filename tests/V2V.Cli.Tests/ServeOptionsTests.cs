namespace V2V.Cli.Tests;

/// <summary><c>v2v serve</c> refuses a bad option when it starts, naming it, rather than when a page first starts a session.</summary>
public sealed class ServeOptionsTests
{
    [Fact]
    public async Task AnUnknownVendor_IsRefusedAtStart_NamingTheOptionAndItsValues()
    {
        var (code, output) = await CliProcess.RunAsync("serve", "--port", "0", "--vendor", "foo");

        Assert.NotEqual(0, code);
        Assert.Contains("--vendor", output, StringComparison.Ordinal);
        Assert.Contains("'azure'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Playground listening", output, StringComparison.Ordinal);
    }
}
