namespace V2V.Graph.Tests.Support;

/// <summary>TEN-Agent's example apps at 35e6581 (the team's shared fixtures, read where they are, not copied).</summary>
public static class TenFixtures
{
    /// <summary>The v2v graphs: the app file and the graph name.</summary>
    public static TheoryData<string, string> V2VGraphs => new()
    {
        { "default.property.json", "voice_assistant_realtime" },
        { "default.property.json", "story_teller_realtime" },
        { "demo.property.json", "va_openai_v2v" },
        { "demo.property.json", "va_openai_v2v_fish" },
    };

    /// <summary>The fixture file's full path (../shared/ten-graphs from the repository root).</summary>
    public static string File(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !System.IO.File.Exists(Path.Combine(directory.FullName, "V2V.slnx")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        var path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "ten-graphs", name));
        Assert.True(System.IO.File.Exists(path), $"the TEN fixture {path} is missing (the team's shared/ten-graphs)");
        return path;
    }
}
