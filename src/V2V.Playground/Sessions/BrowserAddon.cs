using V2V.Ten;

namespace V2V.Playground.Sessions;

/// <summary>
/// The addon <c>playground_browser</c>. Unlike file-based addons, each instance is bound to one WebSocket, so each
/// browser session registers an addon whose factory returns that session's <see cref="BrowserExtension"/>.
/// </summary>
internal static class BrowserAddon
{
    public const string Name = "playground_browser";

    private static readonly Lazy<TenManifest> Manifest = new(() =>
    {
        using var stream = typeof(BrowserAddon).Assembly.GetManifestResourceStream("browser.manifest.json")
            ?? throw new InvalidOperationException("browser.manifest.json is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return TenManifest.Parse(reader.ReadToEnd(), $"{Name}/manifest.json");
    });

    /// <summary>An addon that hands out <paramref name="instance"/> (a graph instantiates each node once).</summary>
    public static ExtensionAddon For(BrowserExtension instance) => new(Name, Manifest.Value, [], () => instance);
}
