using V2V.Ten;

namespace V2V.Playground.Sessions;

/// <summary>
/// The addons of a browser tab: <c>playground_mic</c> (what the page sends) and <c>playground_page</c> (what it
/// receives). One tab is two nodes because a graph may not route a message name back to the node that sent it:
/// one node both sending and receiving <c>pcm_frame</c> would be a cycle. Unlike file-based addons, each instance is
/// bound to one WebSocket, so each session registers addons whose factories return that session's instances.
/// </summary>
internal static class BrowserAddons
{
    public const string Mic = "playground_mic";
    public const string Page = "playground_page";
    public const string Rtc = "playground_rtc";

    private static readonly Lazy<TenManifest> MicManifest = new(() => Load("mic.manifest.json", Mic));
    private static readonly Lazy<TenManifest> PageManifest = new(() => Load("page.manifest.json", Page));
    private static readonly Lazy<TenManifest> RtcManifest = new(() => Load("rtc.manifest.json", Rtc));

    /// <summary>An addon that hands out <paramref name="instance"/> (a graph instantiates each node once).</summary>
    public static ExtensionAddon For(MicExtension instance) => new(Mic, MicManifest.Value, [], () => instance);

    /// <summary>An addon that hands out <paramref name="instance"/>.</summary>
    public static ExtensionAddon For(PageExtension instance) => new(Page, PageManifest.Value, [], () => instance);

    /// <summary>An addon that hands out <paramref name="instance"/> (a TEN app's RTC node, see <see cref="PlaygroundRtc"/>).</summary>
    public static ExtensionAddon For(PlaygroundRtc instance) => new(Rtc, RtcManifest.Value, [], () => instance);

    /// <summary><c>playground_rtc</c> to check a graph against: its instances belong to sessions, so it makes none.</summary>
    public static ExtensionAddon RtcForValidation() =>
        new(Rtc, RtcManifest.Value, [], () => throw new InvalidOperationException($"{Rtc} runs only in a browser session."));

    /// <summary>A manifest shipped in this assembly (the transports' own nodes).</summary>
    internal static TenManifest Load(string resource, string name)
    {
        using var stream = typeof(BrowserAddons).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return TenManifest.Parse(reader.ReadToEnd(), $"{name}/manifest.json");
    }
}
