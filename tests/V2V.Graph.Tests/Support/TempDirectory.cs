namespace V2V.Graph.Tests.Support;

/// <summary>A fresh directory for one test's files, deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("v2v-graph-").FullName;

    /// <summary>A path inside, as JSON string content (forward slashes need no escaping).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name).Replace('\\', '/');

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow runner: the temp folder is cleaned by the OS.
        }
    }
}
