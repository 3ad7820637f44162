using System.Diagnostics;
using System.IO.Compression;

namespace V2V.Cli.Tests;

/// <summary>
/// The libraries as a .NET developer takes them: NuGet packages in a folder, and an app of their own outside the
/// repository (samples/ConsoleAgent, with its nuget.config) restored and built from them, then run: it talks to the local
/// realtime server with the turns detected here by Silero, whose model must come with the packages.
/// </summary>
public sealed class PackagesTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>A guard only: packing, restoring from the machine's package folder and building take well under this.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    // The packages an app with a voice session and the in-process local server needs, dependencies included.
    private static readonly string[] Libraries = ["V2V.Frames", "V2V.Audio", "V2V.Realtime", "V2V.Voice", "V2V.Simulator"];

    private readonly string _work = Directory.CreateTempSubdirectory("v2v-packages-").FullName;

    [Fact]
    public async Task TheSampleApp_BuiltFromThePackages_AnswersASpokenQuestion_WithTheSileroModelInItsOutput()
    {
        var root = RepositoryFiles.Root();
        // Laid out as in the repository: samples/nuget.config reads ../artifacts.
        var artifacts = Path.Combine(_work, "artifacts");
        foreach (var library in Libraries)
        {
            // The build the tests run on, packed as it is (the README's dotnet pack V2V.Packages.slnf builds it first).
            var (packed, packOutput) = await DotnetAsync(root, NoVariables, "pack", Path.Combine(root, "src", library, library + ".csproj"), "-c", Configuration, "--no-build", "--disable-build-servers", "-o", artifacts);
            Assert.True(packed == 0, $"dotnet pack {library}:\n{packOutput}");
        }
        using (var audio = ZipFile.OpenRead(Path.Combine(artifacts, "V2V.Audio.0.1.0.nupkg")))
        {
            var entries = audio.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("models/silero_vad_v5.onnx", entries);
            Assert.Contains("buildTransitive/V2V.Audio.targets", entries);
            Assert.Contains("THIRD-PARTY-NOTICES.txt", entries); // the model's license goes with it
            Assert.Contains("README.md", entries);
        }

        var samples = Path.Combine(_work, "samples");
        CopyDirectory(Path.Combine(root, "samples"), samples);
        var app = Path.Combine(samples, "ConsoleAgent");
        // A package folder of its own for the V2V packages (the machine's may keep a 0.1.0 of an earlier run, or of the
        // README's sample, which NuGet would take over the new one); the rest from the machine's, where the repository's
        // restore put the same versions: a view of it without its V2V packages.
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var thirdParty = Path.Combine(_work, "machine-packages");
        Directory.CreateDirectory(thirdParty);
        foreach (var package in Directory.EnumerateDirectories(machinePackages))
        {
            var name = Path.GetFileName(package);
            if (!name.StartsWith("v2v.", StringComparison.OrdinalIgnoreCase))
            {
                Directory.CreateSymbolicLink(Path.Combine(thirdParty, name), package);
            }
        }
        // No build server is left behind (compiler, MSBuild nodes): the test run leaves no process of its own running.
        var ownPackages = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_work, "packages") };
        var (built, buildOutput) = await DotnetAsync(app, ownPackages, "build", "-c", "Release", "--disable-build-servers", "-p:RestoreFallbackFolders=" + thirdParty);
        Assert.True(built == 0, $"dotnet build of the sample:\n{buildOutput}");
        var output = Path.Combine(app, "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "models", "silero_vad_v5.onnx")), "the Silero model is not in the app's output");

        var answer = Path.Combine(_work, "answer.wav");
        var (ran, said) = await DotnetAsync(_work, NoVariables, Path.Combine(output, "ConsoleAgent.dll"), Path.Combine(root, "graphs", "audio", "question.wav"), answer);

        Assert.True(ran == 0, $"the sample app exited with {ran}:\n{said}");
        Assert.Contains("local realtime server", said, StringComparison.Ordinal);
        Assert.Contains("assistant: I heard", said, StringComparison.Ordinal);
        var heard = V2V.Audio.WavReader.ReadFile(answer);
        Assert.Equal(16000, heard.SampleRate);
        Assert.True(heard.Duration > TimeSpan.FromSeconds(1), $"the answer's audio lasts {heard.Duration}");

        var (refused, why) = await DotnetAsync(_work, NoVariables, Path.Combine(output, "ConsoleAgent.dll"), Path.Combine(_work, "missing.wav"));
        Assert.Equal(2, refused);
        Assert.Contains("missing.wav", why, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePackagesSolutionFilter_ListsEveryProjectThatIsAPackage()
    {
        // The README packs with V2V.Packages.slnf: a library left out of it would be missing from artifacts/, and an app
        // that depends on it would not restore.
        var root = RepositoryFiles.Root();
        using var filter = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "V2V.Packages.slnf")));
        var listed = filter.RootElement.GetProperty("solution").GetProperty("projects").EnumerateArray().Select(p => p.GetString()!).Order().ToList();
        var packable = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(project => !File.ReadAllText(project).Contains("<IsPackable>false</IsPackable>", StringComparison.Ordinal))
            .Select(project => Path.GetRelativePath(root, project).Replace(Path.DirectorySeparatorChar, '/'))
            .Order().ToList();

        Assert.Equal(packable, listed);
        Assert.All(listed, project => Assert.True(File.Exists(Path.Combine(root, project)), project));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static readonly Dictionary<string, string> NoVariables = [];

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="args"/> and these environment variables set, and returns its exit code and
    /// output; a service key of the test machine's is never passed on (the app would talk to OpenAI).
    /// </summary>
    private static async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("OPENAI_API_KEY");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await ProcessGuard.WaitForExitAsync(process, Patience, $"dotnet {string.Join(' ', args)}", async () => await stdout + await stderr);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue; // a build of the sample made in the repository is not the test's
            }
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
