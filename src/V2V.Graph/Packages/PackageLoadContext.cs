using System.Reflection;
using System.Runtime.Loader;

namespace V2V.Graph.Packages;

/// <summary>
/// The load context of one extension package: the package's own dependencies come from its folder, so two packages
/// may carry different versions of a library; the contracts it shares with the host (<c>V2V.Ten</c> and what its
/// types expose) always come from the host's default context, so an <c>Extension</c> made here is the host's
/// <c>Extension</c> type, not a look-alike from a copy in the package's folder.
/// </summary>
internal sealed class PackageLoadContext : AssemblyLoadContext
{
    // The assemblies whose types cross between host and extension (ITenEnv, messages, PcmFrame, ILogger).
    private static readonly HashSet<string> Shared = new(StringComparer.OrdinalIgnoreCase)
    {
        "V2V.Ten",
        "V2V.Frames",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
    };

    private readonly string _directory;
    private readonly AssemblyDependencyResolver? _resolver;

    public PackageLoadContext(string name, string directory, string? mainAssembly)
        : base($"ten_package:{name}")
    {
        _directory = directory;
        // The resolver reads the main assembly's .deps.json, when the package was published with one.
        if (mainAssembly is not null && File.Exists(Path.ChangeExtension(mainAssembly, ".deps.json")))
        {
            _resolver = new AssemblyDependencyResolver(mainAssembly);
        }
    }

    /// <summary>Whether an assembly is one of the contracts the host shares with every package.</summary>
    public static bool IsShared(string? assemblyName) => assemblyName is not null && Shared.Contains(assemblyName);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsShared(assemblyName.Name))
        {
            return null; // the default context: the host's copy
        }
        var path = _resolver?.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            var local = Path.Combine(_directory, assemblyName.Name + ".dll");
            path = File.Exists(local) ? local : null;
        }
        // Not in the package: the framework's or the host's, through the default context.
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
