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

    [Theory]
    [InlineData("--max-calls", "0", "at least 1")]
    [InlineData("--public-url", "https://voice.example.com/media-stream", "wss://")]
    [InlineData("--public-url", "media-stream", "wss://")]
    [InlineData("--twilio-auth-token-env", "V2V_TEST_TWILIO_TOKEN_NOT_SET", "not set")]
    public async Task ABadPhoneLineFlag_IsRefusedAtStart_NamingTheFlagAndTheFix(string flag, string value, string fix)
    {
        var (code, output) = await CliProcess.RunAsync("serve", "--port", "0", flag, value);

        Assert.Equal(2, code);
        Assert.Contains(flag, output, StringComparison.Ordinal);
        Assert.Contains(fix, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Playground listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTwilioAuthToken_IsReadFromTheNamedVariable_AndTheLineThenAcceptsOnlyTwilioSignedStreams()
    {
        const string Token = "twilio-token-for-the-cli-test-0123";
        var (code, output) = await CliProcess.RunAndInterruptAsync("Press Ctrl+C", new Dictionary<string, string> { ["MY_TWILIO_TOKEN"] = Token },
            "serve", "--port", "0", "--twilio-auth-token-env", "MY_TWILIO_TOKEN", "--public-url", "wss://voice.example.com/media-stream", "--max-calls", "2");

        Assert.Equal(0, code);
        Assert.Contains("Twilio's signature required", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
    }
}
