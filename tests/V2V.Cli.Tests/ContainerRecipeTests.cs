using System.Text.Json;

namespace V2V.Cli.Tests;

/// <summary>
/// The container of deploy/container/Dockerfile, short of building the image (that needs the base image's registry,
/// which this machine cannot reach): its command, as the image runs it over the published program, serves on every
/// interface with the access token, is ready, and drains to exit 0 on the stop signal the file declares.
/// </summary>
public sealed class ContainerRecipeTests
{
    [Fact]
    public async Task TheImagesCommand_OverTheProgram_ServesWithTheToken_IsReady_AndDrainsToExit0OnItsStopSignal()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(RepositoryFiles.Root(), "deploy", "container", "Dockerfile"));
        var entrypoint = Instruction(dockerfile, "ENTRYPOINT");
        var command = Instruction(dockerfile, "CMD");
        Assert.Equal(["dotnet", "V2V.Cli.dll"], entrypoint);
        Assert.Equal("serve", command[0]);
        Assert.Contains(dockerfile, l => l.Trim() == "STOPSIGNAL SIGTERM");
        Assert.Contains(dockerfile, l => l.Trim().StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal));
        Assert.Equal("0.0.0.0", command[Array.IndexOf(command, "--host") + 1]);
        // The image's port (8080) may be taken on a test machine: the system picks one; the rest is the image's command.
        command[Array.IndexOf(command, "--port") + 1] = "0";

        const string Token = "container-token-0123456789abcdef";
        using var program = ProgramCopy.Create(); // the image copies the published folder to /app and runs it from there
        await using var serve = await ServeProcess.StartCommandAsync(program.Directory, new Dictionary<string, string> { ["V2V_PLAYGROUND_TOKEN"] = Token }, command);

        var readiness = await serve.ReadinessAsync();
        Assert.Equal("ready", (string?)readiness["status"]);
        var (code, output) = await serve.StopAsync(); // SIGTERM: what `docker stop` and Kubernetes send
        Assert.True(code == 0, output);
        Assert.Contains("Draining", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
    }

    // The exec form of a Dockerfile instruction: INSTRUCTION ["a", "b"].
    private static string[] Instruction(string[] dockerfile, string name)
    {
        var line = Assert.Single(dockerfile, l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<string[]>(line[(name.Length + 1)..])!;
    }
}
