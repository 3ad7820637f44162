namespace V2V.Testing;

/// <summary>TEN-Agent's example app files (the team's shared fixtures, ../shared/ten-graphs), read where they are, not copied.</summary>
public static class TenFixtures
{
    /// <summary>The fixture's full path.</summary>
    /// <exception cref="FileNotFoundException">The repository root or the fixture is not there.</exception>
    public static string PathOf(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "V2V.slnx")))
        {
            directory = directory.Parent;
        }
        var path = directory is null ? name : System.IO.Path.GetFullPath(System.IO.Path.Combine(directory.FullName, "..", "shared", "ten-graphs", name));
        return File.Exists(path) ? path : throw new FileNotFoundException($"The TEN fixture {path} is missing (the team's shared/ten-graphs, next to the repository).", path);
    }
}
