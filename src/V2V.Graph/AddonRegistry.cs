using V2V.Graph.Packages;
using V2V.Ten;

namespace V2V.Graph;

/// <summary>
/// The addons a host can instantiate, by name. Build one per application: <c>new AddonRegistry().AddBuiltIns()</c>,
/// then <see cref="Add"/> your own (e.g. <c>openai_v2v</c>) and <see cref="AddPackages"/> the app's
/// <c>ten_packages</c>. Built-ins, your addons and packages all go through <see cref="Add"/>. Reading is thread-safe once built.
/// </summary>
public sealed class AddonRegistry
{
    private readonly Dictionary<string, ExtensionAddon> _addons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _unavailable = new(StringComparer.Ordinal);

    /// <summary>The name TEN-Agent's graphs give the original Python extension; it resolves to <c>openai_v2v</c>.</summary>
    public const string PythonV2VAlias = "openai_v2v_python";

    /// <summary>Registers an addon under its name (fluent). An alias of the same name gives way to it.</summary>
    /// <exception cref="ArgumentException">An addon of that name is already registered.</exception>
    public AddonRegistry Add(ExtensionAddon addon)
    {
        ArgumentNullException.ThrowIfNull(addon);
        if (!_addons.TryAdd(addon.Name, addon))
        {
            throw new ArgumentException($"An addon named '{addon.Name}' is already registered.", nameof(addon));
        }
        _aliases.Remove(addon.Name);
        return this;
    }

    /// <summary>
    /// Makes <paramref name="alias"/> another name of the addon <paramref name="addonName"/>, which may be registered
    /// later (fluent): a graph written for another addon name runs with this one.
    /// </summary>
    /// <exception cref="ArgumentException">The alias is already an addon or an alias.</exception>
    public AddonRegistry AddAlias(string alias, string addonName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        ArgumentException.ThrowIfNullOrWhiteSpace(addonName);
        if (_addons.ContainsKey(alias) || !_aliases.TryAdd(alias, addonName))
        {
            throw new ArgumentException($"The name '{alias}' is already registered.", nameof(alias));
        }
        return this;
    }

    /// <summary>
    /// Registers the built-in addons: <c>wav_file_source</c>, <c>wav_file_sink</c>, <c>transcript_collector</c>,
    /// <c>time_tool</c>, <c>message_collector</c>, <c>sqlite_storage</c>, <c>wav_rtc</c> (an RTC stand-in); and the alias <c>openai_v2v_python</c> of <c>openai_v2v</c> (fluent).
    /// </summary>
    public AddonRegistry AddBuiltIns() =>
        Add(BuiltIns.WavFileSource.Addon())
            .Add(BuiltIns.WavFileSink.Addon())
            .Add(BuiltIns.TranscriptCollector.Addon())
            .Add(BuiltIns.TimeTool.Addon())
            .Add(BuiltIns.MessageCollector.Addon())
            .Add(BuiltIns.Storage.SqliteStorage.Addon())
            .Add(BuiltIns.WavRtc.Addon())
            .AddAlias(PythonV2VAlias, "openai_v2v");

    /// <summary>
    /// Registers the .NET extension packages of the app in <paramref name="appDirectory"/> (the folder of its
    /// property.json), from <c>ten_packages/extension/*</c>, each in its own load context (see
    /// <see cref="PackageLoader"/>); packages of other languages are remembered as unavailable, so that a graph
    /// using them is told why (fluent).
    /// </summary>
    /// <exception cref="GraphValidationException">Some .NET package failed to load, or its name is taken; every problem is listed.</exception>
    public AddonRegistry AddPackages(string appDirectory)
    {
        var scan = PackageLoader.Scan(appDirectory);
        var problems = new List<string>(scan.Problems);
        foreach (var addon in scan.Addons)
        {
            if (_addons.ContainsKey(addon.Name) || _aliases.ContainsKey(addon.Name))
            {
                problems.Add($"{PackageLoader.ExtensionsFolder}/{addon.Name}: the addon name '{addon.Name}' is already registered (a built-in or the host's own); rename the package.");
                continue;
            }
            _addons.Add(addon.Name, addon);
        }
        foreach (var (name, reason) in scan.Unavailable)
        {
            _unavailable.TryAdd(name, reason);
        }
        return problems.Count > 0 ? throw new GraphValidationException(problems) : this;
    }

    /// <summary>
    /// A copy of this registry with <paramref name="addon"/> added; this one is unchanged. For an addon whose instances
    /// belong to one run (a browser session's own transport), added to a registry several runs share.
    /// </summary>
    /// <exception cref="ArgumentException">An addon of that name is already registered.</exception>
    public AddonRegistry With(ExtensionAddon addon)
    {
        var copy = new AddonRegistry();
        foreach (var (name, registered) in _addons)
        {
            copy._addons.Add(name, registered);
        }
        foreach (var (alias, target) in _aliases)
        {
            copy._aliases.Add(alias, target);
        }
        foreach (var (name, reason) in _unavailable)
        {
            copy._unavailable.Add(name, reason);
        }
        return copy.Add(addon);
    }

    /// <summary>Finds an addon by name or alias.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ExtensionAddon? addon) =>
        _addons.TryGetValue(_aliases.GetValueOrDefault(name) ?? name, out addon);

    /// <summary>Why a name is not an addon here, in a sentence for a validation message: an alias whose addon is missing, or a package of another language.</summary>
    public string? WhyUnknown(string name)
    {
        if (_aliases.TryGetValue(name, out var target) && !_addons.ContainsKey(target))
        {
            return $"'{name}' is another name of '{target}', which is not registered";
        }
        return _unavailable.TryGetValue(name, out var reason) ? reason : null;
    }

    /// <summary>The registered names, sorted (aliases not included).</summary>
    public IReadOnlyList<string> Names => [.. _addons.Keys.Order(StringComparer.Ordinal)];
}
