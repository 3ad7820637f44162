using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Ten;

namespace V2V.Graph.Packages;

/// <summary>
/// Loads extension packages as TEN lays them out beside an app's property.json: <c>ten_packages/extension/NAME/</c>
/// with <c>manifest.json</c>, <c>property.json</c> (the defaults, under the graph node's <c>property</c>) and, for a
/// .NET extension, its assembly (<c>NAME.dll</c>, or any <c>.dll</c> of the folder) holding one public, non-abstract
/// <see cref="Extension"/> type with a public parameterless constructor. Each package gets its own load context
/// (<see cref="PackageLoadContext"/>), so a user adds an extension without rebuilding the host. A folder without an
/// assembly is another language's extension: noted as unavailable (it needs the TEN runtime), not an error.
/// </summary>
public static class PackageLoader
{
    /// <summary>The folder of extension packages, relative to the app's directory.</summary>
    public const string ExtensionsFolder = "ten_packages/extension";

    /// <summary>Looks through <c>ten_packages/extension</c> under <paramref name="appDirectory"/> (absent: nothing found).</summary>
    public static PackageScan Scan(string appDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(appDirectory);
        var scan = new PackageScan();
        var root = Path.Combine(appDirectory, ExtensionsFolder);
        if (!Directory.Exists(root))
        {
            return scan;
        }
        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(folder, "manifest.json")))
            {
                LoadOne(folder, Path.GetRelativePath(appDirectory, folder), scan);
            }
        }
        return scan;
    }

    private static void LoadOne(string folder, string where, PackageScan scan)
    {
        TenManifest manifest;
        JsonObject defaults;
        try
        {
            manifest = TenManifest.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")), Path.Combine(where, "manifest.json"));
            defaults = ReadDefaults(Path.Combine(folder, "property.json"), where);
        }
        catch (Exception ex) when (ex is TenManifestException or IOException or UnauthorizedAccessException)
        {
            scan.Problems.Add(ex.Message);
            return;
        }
        var assemblies = Directory.GetFiles(folder, "*.dll")
            .Where(p => !PackageLoadContext.IsShared(Path.GetFileNameWithoutExtension(p)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (assemblies.Count == 0)
        {
            scan.Unavailable[manifest.Name] = $"{where} is {Language(folder)} extension, which needs the TEN runtime";
            return;
        }
        var main = assemblies.FirstOrDefault(p => Path.GetFileNameWithoutExtension(p) == manifest.Name);
        try
        {
            var type = FindExtensionType(new PackageLoadContext(manifest.Name, folder, main), main is null ? assemblies : [main], where);
            scan.Addons.Add(new ExtensionAddon(manifest.Name, manifest, defaults, () => (Extension)Activator.CreateInstance(type)!));
        }
        catch (PackageLoadException ex)
        {
            scan.Problems.Add(ex.Message);
        }
    }

    private static Type FindExtensionType(PackageLoadContext context, IReadOnlyList<string> candidates, string where)
    {
        var found = new List<Type>();
        foreach (var path in candidates)
        {
            Assembly assembly;
            try
            {
                assembly = context.LoadFromAssemblyPath(path);
            }
            catch (BadImageFormatException)
            {
                continue; // a native library beside the managed ones
            }
            Type[] types;
            try
            {
                types = assembly.GetExportedTypes();
            }
            catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
            {
                throw new PackageLoadException($"{where}: {Path.GetFileName(path)} cannot be loaded: {ex.Message} (is every dependency in the folder, and is it built against this host's V2V.Ten?)");
            }
            found.AddRange(types.Where(t => t.IsSubclassOf(typeof(Extension)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null));
        }
        return found.Count switch
        {
            1 => found[0],
            0 => throw new PackageLoadException($"{where}: no public, non-abstract V2V.Ten.Extension with a public parameterless constructor in {string.Join(", ", candidates.Select(Path.GetFileName))}."),
            _ => throw new PackageLoadException($"{where}: several extension types ({string.Join(", ", found.Select(t => t.FullName))}); a package holds one."),
        };
    }

    private static JsonObject ReadDefaults(string path, string where)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new TenManifestException($"{where}/property.json: must be a JSON object of default properties.");
        }
        catch (JsonException ex)
        {
            throw new TenManifestException($"{where}/property.json: not valid JSON: {ex.Message}");
        }
    }

    private static string Language(string folder)
    {
        bool Has(string pattern) => Directory.EnumerateFiles(folder, pattern, SearchOption.AllDirectories).Any();
        return Has("*.py") ? "a Python" : Has("*.go") ? "a Go" : Has("*.cc") || Has("*.cpp") || Has("*.so") ? "a C++" : "a non-.NET";
    }

    private sealed class PackageLoadException(string message) : Exception(message);
}
