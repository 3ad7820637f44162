using V2V.Cli.Serve;

namespace V2V.Cli.Tests;

/// <summary>
/// <c>v2v serve</c> reads appsettings.json from beside the program (an installed tool's folder, a container's app
/// folder), not from the working directory; <c>--config FILE</c>, then <c>V2V_</c> variables, then the flags go over
/// it. Each run is the CLI copied into a directory of its own (<see cref="ProgramCopy"/>) and asked, once it listens,
/// for <c>/readyz</c>, which reports the session capacity it took.
/// </summary>
public sealed class ServeAppSettingsTests
{
    private const string Token = "twilio-token-for-the-appsettings-test-0123";

    [Theory]
    [InlineData(false, false, false, 3)]
    [InlineData(true, false, false, 4)]
    [InlineData(true, true, false, 5)]
    [InlineData(true, true, true, 6)]
    public async Task AppSettingsBesideTheProgram_IsRead_ThenConfigThenVariablesThenFlagsGoOverIt(bool config, bool variable, bool flag, int expected)
    {
        using var program = ProgramCopy.Create();
        program.WriteAppSettings("""
            { "Serve": { "MaxSessions": 3,
                         "Phone": { "AuthTokenEnv": "MY_TWILIO_TOKEN", "PublicUrl": "wss://voice.example.com/media-stream", "MaxCalls": 2 } } }
            """);
        var environment = new Dictionary<string, string> { ["MY_TWILIO_TOKEN"] = Token };
        var args = new List<string>();
        if (config)
        {
            var file = Path.Combine(Directory.CreateTempSubdirectory("v2v-serve-config-").FullName, "settings.json");
            await File.WriteAllTextAsync(file, """{ "Serve": { "MaxSessions": 4 } }""", TestContext.Current.CancellationToken);
            args.AddRange(["--config", file]);
        }
        if (variable)
        {
            environment["V2V_Serve__MaxSessions"] = "5";
        }
        if (flag)
        {
            args.AddRange(["--max-sessions", "6"]);
        }

        await using var serve = await ServeProcess.StartAsync(program.Directory, environment, [.. args]);
        var readiness = await serve.ReadinessAsync();
        var (code, output) = await serve.StopAsync();

        Assert.Equal(expected, (int?)readiness["maxSessions"]);
        Assert.Contains($"sessions: at most {expected};", output, StringComparison.Ordinal);
        // The phone line's settings, from the file beside the program alone.
        Assert.Contains($"phone calls: at most 2 at ws://{serve.Address.Authority}/media-stream", output, StringComparison.Ordinal);
        Assert.Contains("signed as wss://voice.example.com/media-stream", output, StringComparison.Ordinal);
        Assert.Contains("Twilio's signature required", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
        Assert.Equal(0, code);
    }

    [Fact]
    public void AnAppSettingsInTheWorkingDirectory_IsNotRead_AndIsPointedOut()
    {
        var program = Directory.CreateTempSubdirectory("v2v-unread-program-").FullName;
        var here = Directory.CreateTempSubdirectory("v2v-unread-cwd-").FullName;
        Assert.Null(ServeConfiguration.UnreadAppSettings(program, here));

        File.WriteAllText(Path.Combine(here, "appsettings.json"), "{}");
        File.WriteAllText(Path.Combine(program, "appsettings.json"), "{}");

        Assert.Equal(Path.Combine(here, "appsettings.json"), ServeConfiguration.UnreadAppSettings(program, here));
        // Run from beside the program, the file is the program's: nothing to point out.
        Assert.Null(ServeConfiguration.UnreadAppSettings(program, program));
        Directory.Delete(program, recursive: true);
        Directory.Delete(here, recursive: true);
    }

    [Theory]
    [InlineData("""{ "Serve": { "Phone": { "MaxCalls": 0 } } }""", "Serve:Phone:MaxCalls must be at least 1, got 0; set Serve:Phone:MaxCalls in appsettings.json or --config FILE, V2V_Serve__Phone__MaxCalls in the environment, or --max-calls.")]
    [InlineData("""{ "Serve": { "Phone": { "AuthToken": "0123456789abcdef0123456789abcdef" } } }""", "Serve:Phone:AuthToken (in ")]
    public async Task ABadSettingBesideTheProgram_StopsServe_InOneLine_WithExitCode2(string json, string said)
    {
        using var program = ProgramCopy.Create();
        program.WriteAppSettings(json);

        var here = Directory.CreateTempSubdirectory("v2v-serve-cwd-").FullName;
        var (code, output) = await CliProcess.RunProgramAsync(program.Directory, here, new Dictionary<string, string>(), "serve", "--port", "0");
        Directory.Delete(here, recursive: true);

        Assert.Equal(2, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("v2v serve: " + said, line, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", output, StringComparison.Ordinal);
    }
}
