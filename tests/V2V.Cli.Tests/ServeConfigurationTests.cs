namespace V2V.Cli.Tests;

/// <summary>
/// <c>v2v serve</c>'s settings come from a settings file, <c>V2V_</c> environment variables and the flags, later over
/// earlier; a bad one stops it at start, naming the setting under each of its names. SIGTERM drains, then exits 0.
/// </summary>
public sealed class ServeConfigurationTests
{
    [Fact]
    public async Task FileThenEnvironmentThenFlags_LaterWins_AndSigtermDrainsToExitZero()
    {
        var settings = Path.Combine(Directory.CreateTempSubdirectory("v2v-serve-config-").FullName, "settings.json");
        await File.WriteAllTextAsync(settings, """
            { "Serve": { "MaxSessions": 3 }, "Drain": { "Timeout": 7 }, "Telemetry": { "Prometheus": true } }
            """, TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string> { ["V2V_Serve__MaxSessions"] = "5", ["V2V_Drain__Timeout"] = "9" };

        var (code, output) = await CliProcess.RunAndSignalAsync("TERM", "Press Ctrl+C", environment,
            "serve", "--port", "0", "--config", settings, "--drain-timeout", "11");

        Assert.Equal(0, code);
        Assert.Contains("sessions: at most 5;", output, StringComparison.Ordinal);   // the variable over the file
        Assert.Contains("up to 11 s to end", output, StringComparison.Ordinal);      // the flag over the variable
        Assert.Contains("/metrics", output, StringComparison.Ordinal);               // the file alone
        Assert.Contains("Drained: no session left.", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "Serve:MaxSessions must be at least 1, got 0")]
    [InlineData("many", "Serve:MaxSessions must be Int32, got 'many'")]
    public async Task ABadSetting_StopsServeAtStart_NamingItUnderEachOfItsNames(string value, string said)
    {
        var (code, output) = await CliProcess.RunWithEnvironmentAsync(Environment.CurrentDirectory,
            new Dictionary<string, string> { ["V2V_Serve__MaxSessions"] = value }, "serve", "--port", "0");

        Assert.Equal(2, code);
        Assert.Contains(said, output, StringComparison.Ordinal);
        Assert.Contains("V2V_Serve__MaxSessions", output, StringComparison.Ordinal);
        Assert.Contains("--max-sessions", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Playground listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMisspeltSetting_IsRefused_NotIgnored()
    {
        var (code, output) = await CliProcess.RunWithEnvironmentAsync(Environment.CurrentDirectory,
            new Dictionary<string, string> { ["V2V_Serve__MaxSesions"] = "4" }, "serve", "--port", "0");

        Assert.Equal(2, code);
        Assert.Contains("Serve:MaxSesions is not a setting", output, StringComparison.Ordinal);
        Assert.Contains("Serve:MaxSessions", output, StringComparison.Ordinal);
    }
}
