namespace V2V.Cli.Tests;

/// <summary>
/// The built CLI in a directory of its own, as an installed tool or a container's app folder is, so that a test can
/// put an appsettings.json beside the program without touching the other tests' (the test output is shared). The
/// files are copied (the program's directory is where its V2V.Cli.dll is); the folders (runtimes, models: 300 MB)
/// are linked, since the program only reads them.
/// </summary>
internal sealed class ProgramCopy : IDisposable
{
    private ProgramCopy(string directory) => Directory = directory;

    /// <summary>The program's directory: <c>dotnet DIRECTORY/V2V.Cli.dll</c>.</summary>
    public string Directory { get; }

    public static ProgramCopy Create()
    {
        var built = new DirectoryInfo(AppContext.BaseDirectory);
        var copy = System.IO.Directory.CreateTempSubdirectory("v2v-program-").FullName;
        foreach (var file in built.EnumerateFiles())
        {
            // The test output's own settings file, if one is ever added, must not leak into the copy.
            if (!file.Name.Equals("appsettings.json", StringComparison.OrdinalIgnoreCase))
            {
                file.CopyTo(Path.Combine(copy, file.Name));
            }
        }
        foreach (var folder in built.EnumerateDirectories())
        {
            System.IO.Directory.CreateSymbolicLink(Path.Combine(copy, folder.Name), folder.FullName);
        }
        return new ProgramCopy(copy);
    }

    /// <summary>Writes appsettings.json beside the program.</summary>
    public void WriteAppSettings(string json) => File.WriteAllText(Path.Combine(Directory, "appsettings.json"), json);

    // Deleting a directory removes the links in it, not what they point to.
    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
