namespace V2V.Cli.Tests;

/// <summary>Files of the repository and of the team's shared fixtures, found from the test output.</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root (where V2V.slnx is).</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "V2V.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (V2V.slnx) was not found above the test output");
    }

    /// <summary>A TEN-Agent example app file of ../shared/ten-graphs (read where it is, not copied).</summary>
    public static string TenFixture(string name) => V2V.Testing.TenFixtures.PathOf(name);
}
