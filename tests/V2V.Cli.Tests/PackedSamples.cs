using System.Diagnostics;

namespace V2V.Cli.Tests;

/// <summary>
/// Once for <see cref="PackagesTests"/>: the libraries packed into a folder laid out as in the repository
/// (samples/nuget.config reads ../artifacts), the samples copied beside it, and a package folder for their restores.
/// </summary>
public sealed class PackedSamples : IAsyncLifetime
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>A guard only: packing, restoring from the machine's package folder and building take well under this.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    // The packages the samples need, dependencies included.
    private static readonly string[] Libraries = ["V2V.Frames", "V2V.Audio", "V2V.Realtime", "V2V.Voice", "V2V.Simulator", "V2V.AspNetCore"];

    public static readonly Dictionary<string, string> NoVariables = [];

    public string Work { get; } = Directory.CreateTempSubdirectory("v2v-packages-").FullName;

    public string Artifacts => Path.Combine(Work, "artifacts");

    private string ThirdParty => Path.Combine(Work, "machine-packages");

    public async ValueTask InitializeAsync()
    {
        var root = RepositoryFiles.Root();
        foreach (var library in Libraries)
        {
            // The build the tests run on, packed as it is (the README's dotnet pack V2V.Packages.slnf builds it first).
            var (packed, packOutput) = await DotnetAsync(root, NoVariables, "pack", Path.Combine(root, "src", library, library + ".csproj"), "-c", Configuration, "--no-build", "--disable-build-servers", "-o", Artifacts);
            Assert.True(packed == 0, $"dotnet pack {library}:\n{packOutput}");
        }
        CopyDirectory(Path.Combine(root, "samples"), Path.Combine(Work, "samples"));
        // A package folder of its own for the V2V packages (the machine's may keep a 0.1.0 of an earlier run, or of the
        // README's sample, which NuGet would take over the new one); the rest from the machine's, where the repository's
        // restore put the same versions: a view of it without its V2V packages.
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Directory.CreateDirectory(ThirdParty);
        foreach (var package in Directory.EnumerateDirectories(machinePackages))
        {
            var name = Path.GetFileName(package);
            if (!name.StartsWith("v2v.", StringComparison.OrdinalIgnoreCase))
            {
                Directory.CreateSymbolicLink(Path.Combine(ThirdParty, name), package);
            }
        }
    }

    /// <summary>Restores and builds the sample from the packages; its output folder.</summary>
    public async Task<string> BuildAsync(string sample)
    {
        var app = Path.Combine(Work, "samples", sample);
        // No build server is left behind (compiler, MSBuild nodes): the test run leaves no process of its own running.
        var ownPackages = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(Work, "packages") };
        var (built, buildOutput) = await DotnetAsync(app, ownPackages, "build", "-c", "Release", "--disable-build-servers", "-p:RestoreFallbackFolders=" + ThirdParty);
        Assert.True(built == 0, $"dotnet build of {sample}:\n{buildOutput}");
        return Path.Combine(app, "bin", "Release", "net10.0");
    }

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="args"/> and these environment variables set, and returns its exit code and
    /// output; a service key of the test machine's is never passed on (the app would talk to OpenAI).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await ProcessGuard.WaitForExitAsync(process, Patience, $"dotnet {string.Join(' ', args)}", async () => await stdout + await stderr);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>How <c>dotnet</c> is started here: output read by the caller, no service key of the machine's passed on.</summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
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
        return start;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
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
