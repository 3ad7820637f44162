using System.Globalization;
using Microsoft.Extensions.Configuration;
using V2V.Playground.Telemetry;

namespace V2V.Cli.Serve;

/// <summary>
/// <c>v2v serve</c>'s settings through Microsoft.Extensions.Configuration, later sources over earlier ones:
/// <c>appsettings.json</c> beside the program, <c>--config FILE</c>, environment variables <c>V2V_SECTION__NAME</c>
/// (e.g. <c>V2V_Serve__MaxSessions</c>), then the flags given on the command line. Bound to the sections <c>Serve</c>
/// (with the phone line's <c>Serve:Phone</c>), <c>Drain</c> and <c>Telemetry</c> and checked at once
/// (<see cref="ServeSettingsValidator"/>, <see cref="SecretSettings"/>); <c>Logging</c> is Microsoft.Extensions.Logging's
/// own section.
/// </summary>
internal sealed class ServeConfiguration
{
    public const string AppSettingsFile = "appsettings.json";

    private ServeConfiguration(IConfigurationRoot root, ServeSettings serve, DrainSettings drain, PlaygroundTelemetry telemetry)
    {
        Root = root;
        Serve = serve;
        Drain = drain;
        Telemetry = telemetry;
    }

    public IConfigurationRoot Root { get; }

    public ServeSettings Serve { get; }

    public DrainSettings Drain { get; }

    public PlaygroundTelemetry Telemetry { get; }

    /// <summary>Reads, binds and checks the settings; a problem is one line naming the setting and where to fix it.</summary>
    /// <param name="programDirectory">Where appsettings.json is looked for.</param>
    /// <param name="configFile">The <c>--config</c> file, which must exist; null: none.</param>
    /// <param name="flags">The flags given on the command line, as configuration keys and values.</param>
    /// <param name="problem">The problem, when null is returned.</param>
    public static ServeConfiguration? Load(string programDirectory, FileInfo? configFile, IReadOnlyDictionary<string, string?> flags, out string? problem)
    {
        problem = null;
        if (configFile is { Exists: false })
        {
            problem = $"--config {configFile.FullName}: no such file. Give the path of a JSON settings file like appsettings.json.";
            return null;
        }
        IConfigurationRoot root;
        try
        {
            var builder = new ConfigurationBuilder().AddJsonFile(Path.Combine(programDirectory, AppSettingsFile), optional: true, reloadOnChange: false);
            if (configFile is not null)
            {
                builder.AddJsonFile(configFile.FullName, optional: false, reloadOnChange: false);
            }
            root = builder.AddEnvironmentVariables(ServeSetting.EnvironmentPrefix).AddInMemoryCollection(flags).Build();
        }
        catch (InvalidDataException ex)
        {
            problem = $"{ex.Message} Fix the JSON of the settings file.";
            return null;
        }
        // Before binding: a secret in a file is said as that, not as an unknown setting.
        if (SecretSettings.FirstProblem(root) is { } secret)
        {
            problem = secret;
            return null;
        }
        try
        {
            var serve = Bind<ServeSettings>(root, "Serve");
            var drain = Bind<DrainSettings>(root, "Drain");
            var telemetry = Bind<PlaygroundTelemetry>(root, "Telemetry");
            var configuration = new ServeConfiguration(root, serve, drain, telemetry);
            problem = ServeSettingsValidator.FirstProblem(configuration);
            return problem is null ? configuration : null;
        }
        catch (InvalidOperationException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>
    /// An appsettings.json in the working directory that is not the program's, so not read: where a newcomer puts it
    /// (with <c>dotnet run --project src/V2V.Cli</c> the program is in bin/Debug/net10.0). Null when there is none.
    /// </summary>
    public static string? UnreadAppSettings(string programDirectory, string workingDirectory)
    {
        var here = Path.GetFullPath(Path.Combine(workingDirectory, AppSettingsFile));
        var read = Path.GetFullPath(Path.Combine(programDirectory, AppSettingsFile));
        return File.Exists(here) && !string.Equals(here, read, StringComparison.Ordinal) ? here : null;
    }

    /// <summary>A flag's value as configuration keeps it (invariant culture: <c>1.5</c>, <c>true</c>).</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        FileSystemInfo file => file.FullName,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    // A section of our own may hold only the settings it has: a misspelt one is a mistake to say, not to ignore.
    private static T Bind<T>(IConfiguration root, string section) where T : new()
    {
        try
        {
            return root.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(Explain(ex.Message, root.GetSection(section)), ex);
        }
    }

    // The binder's words, in ours: "Failed to convert configuration value 'X' at 'KEY' to type 'T'." and
    // "...properties were not found on the instance of TYPE: 'A', 'B'".
    private static string Explain(string message, IConfigurationSection section)
    {
        var quoted = message.Split('\'');
        if (message.StartsWith("Failed to convert", StringComparison.Ordinal) && quoted.Length > 5 && ServeSetting.Of(quoted[3]) is { } setting)
        {
            return $"{setting.Key} must be {quoted[5].Replace("System.", "", StringComparison.Ordinal)}, got '{quoted[1]}'; {setting.Where}.";
        }
        if (message.Contains("ErrorOnUnknownConfiguration", StringComparison.Ordinal) && quoted.Length > 1)
        {
            return $"{KeyOf(section, quoted[^2])} is not a setting of v2v serve. Known settings: {string.Join(", ", ServeSetting.All.Select(s => s.Key))}, Serve:Properties:NAME (an openai_v2v property).";
        }
        return message;
    }

    // The binder names an unknown setting without its path; a nested one (Serve:Phone:X) is found by its name among
    // the keys that are no setting (Serve:Phone:Port is unknown, Serve:Port is not).
    private static string KeyOf(IConfigurationSection section, string name) =>
        section.AsEnumerable().Select(p => p.Key)
            .Where(k => k.EndsWith(":" + name, StringComparison.OrdinalIgnoreCase) && ServeSetting.Of(k) is null
                && !k.StartsWith("Serve:Properties:", StringComparison.OrdinalIgnoreCase))
            .OrderBy(k => k.Length).FirstOrDefault() ?? $"{section.Path}:{name}";
}
