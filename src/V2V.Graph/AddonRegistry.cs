using V2V.Ten;

namespace V2V.Graph;

/// <summary>
/// The addons a host can instantiate, by name. Build one per application: <c>new AddonRegistry().AddBuiltIns()</c>,
/// then <see cref="Add"/> your own (e.g. <c>openai_v2v</c>). Reading is thread-safe once built.
/// </summary>
public sealed class AddonRegistry
{
    private readonly Dictionary<string, ExtensionAddon> _addons = new(StringComparer.Ordinal);

    /// <summary>Registers an addon under its name (fluent).</summary>
    /// <exception cref="ArgumentException">An addon of that name is already registered.</exception>
    public AddonRegistry Add(ExtensionAddon addon)
    {
        ArgumentNullException.ThrowIfNull(addon);
        if (!_addons.TryAdd(addon.Name, addon))
        {
            throw new ArgumentException($"An addon named '{addon.Name}' is already registered.", nameof(addon));
        }
        return this;
    }

    /// <summary>Registers the built-in addons: <c>wav_file_source</c>, <c>wav_file_sink</c>, <c>transcript_collector</c>, <c>time_tool</c> (fluent).</summary>
    public AddonRegistry AddBuiltIns() =>
        Add(BuiltIns.WavFileSource.Addon())
            .Add(BuiltIns.WavFileSink.Addon())
            .Add(BuiltIns.TranscriptCollector.Addon())
            .Add(BuiltIns.TimeTool.Addon());

    /// <summary>Finds an addon by name.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ExtensionAddon? addon) =>
        _addons.TryGetValue(name, out addon);

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _addons.Keys.Order(StringComparer.Ordinal)];
}
