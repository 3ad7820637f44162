using V2V.Ten;

namespace V2V.Graph.Packages;

/// <summary>What a look through an app's <c>ten_packages/extension</c> folder found.</summary>
public sealed class PackageScan
{
    /// <summary>The .NET extension packages, made into addons.</summary>
    public List<ExtensionAddon> Addons { get; } = [];

    /// <summary>Packages that cannot run here (Python, Go, C++ extensions), by addon name, with the reason.</summary>
    public Dictionary<string, string> Unavailable { get; } = new(StringComparer.Ordinal);

    /// <summary>Packages that should have loaded and did not, each naming the folder and the fix.</summary>
    public List<string> Problems { get; } = [];
}
