using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace V2V.Cli.Serve;

/// <summary>
/// <c>v2v serve</c>'s structured logs: the console, one line per event, in the formatter the section
/// <c>Logging:Console:FormatterName</c> names (<c>simple</c>, the default; <c>json</c> for a log collector;
/// <c>--log-format</c>); levels from <c>Logging:LogLevel</c> over these defaults.
/// </summary>
internal static class ServeLogging
{
    public static ILoggerFactory Create(IConfiguration configuration, bool verbose) => LoggerFactory.Create(b =>
    {
        b.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
            .AddFilter("Microsoft.AspNetCore", verbose ? LogLevel.Information : LogLevel.Warning)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            // A failed start is said once, plainly; the host's own stack trace only with --verbose.
            .AddFilter("Microsoft.Extensions.Hosting", verbose ? LogLevel.Information : LogLevel.None)
            .AddConfiguration(configuration.GetSection("Logging"));
        // Each of these picks its formatter; the setting says which one (the validator has checked its name).
        _ = configuration["Logging:Console:FormatterName"]?.ToUpperInvariant() switch
        {
            "JSON" => b.AddJsonConsole(),
            "SYSTEMD" => b.AddSystemdConsole(),
            _ => b.AddSimpleConsole(o => o.SingleLine = true),
        };
    });
}
