namespace V2V.Simulator;

/// <summary>
/// The names of the <see cref="ServiceProfile"/>s on command lines and in configuration (<c>openai</c>,
/// <c>azure</c>, <c>azure-preview</c>): the one place that parses and formats them.
/// </summary>
public static class ServiceProfileNames
{
    /// <summary>Every name, in the order of <see cref="ServiceProfile"/>.</summary>
    public static IReadOnlyList<string> All { get; } = ["openai", "azure", "azure-preview"];

    /// <summary>The name of <paramref name="profile"/>, e.g. <c>azure-preview</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined profile.</exception>
    public static string Format(ServiceProfile profile) => profile switch
    {
        ServiceProfile.OpenAi => "openai",
        ServiceProfile.Azure => "azure",
        ServiceProfile.AzurePreview => "azure-preview",
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, $"Not a service profile; the profiles are {string.Join(", ", All)}."),
    };

    /// <summary>Reads a name (case-insensitive, surrounding spaces ignored).</summary>
    public static bool TryParse(string? name, out ServiceProfile profile)
    {
        var at = name is null ? -1 : IndexOf(name.Trim());
        profile = at < 0 ? default : (ServiceProfile)at;
        return at >= 0;
    }

    /// <summary>Reads a name given to <paramref name="optionName"/> (e.g. <c>--profile</c>).</summary>
    /// <exception cref="ArgumentException">Not a profile name; the message names the option and the valid names.</exception>
    public static ServiceProfile Parse(string? name, string optionName) =>
        TryParse(name, out var profile) ? profile : throw new ArgumentException(InvalidMessage(name, optionName), optionName);

    /// <summary>The error for a name that is not a profile's, naming the option and the valid names.</summary>
    public static string InvalidMessage(string? name, string optionName) =>
        $"{optionName} must be one of {string.Join(", ", All)}; got \"{name}\".";

    private static int IndexOf(string name)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
