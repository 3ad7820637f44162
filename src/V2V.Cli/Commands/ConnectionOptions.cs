using System.CommandLine;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;

namespace V2V.Cli.Commands;

/// <summary>
/// The options that say where the agent's model is: the same names as the extension's properties. With no
/// key and no base URI the local realtime server is started in-process.
/// </summary>
internal sealed class ConnectionOptions
{
    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "API key (default: $OPENAI_API_KEY, or $AZURE_OPENAI_API_KEY with --vendor azure). None: the local realtime server." };

    public Option<string?> BaseUri { get; } = new("--base-uri") { Description = "Endpoint, e.g. wss://api.openai.com, wss://NAME.openai.azure.com, ws://127.0.0.1:8765." };

    public Option<string?> Path { get; } = new("--path") { Description = "Path and query, e.g. /openai/realtime?api-version=2024-10-01-preview&deployment=NAME (Azure)." };

    public Option<string> Vendor { get; } = new("--vendor") { Description = "\"\" (OpenAI) or azure.", DefaultValueFactory = _ => "" };

    public Option<string?> Model { get; } = new("--model") { Description = "Model (default gpt-realtime; beta: gpt-4o-realtime-preview)." };

    public Option<string> Dialect { get; } = new("--dialect") { Description = "Protocol dialect: ga or beta.", DefaultValueFactory = _ => "ga" };

    public void AddTo(Command command)
    {
        command.Options.Add(ApiKey);
        command.Options.Add(BaseUri);
        command.Options.Add(Path);
        command.Options.Add(Vendor);
        command.Options.Add(Model);
        command.Options.Add(Dialect);
    }

    /// <summary>The client options, and whether the local realtime server must be started (no key, no endpoint).</summary>
    public (RealtimeClientOptions Options, bool UseLocalServer) Read(ParseResult result)
    {
        var vendor = (result.GetValue(Vendor) ?? "").ToLowerInvariant() switch
        {
            "" or "openai" => RealtimeVendor.OpenAI,
            "azure" => RealtimeVendor.Azure,
            var other => throw new RealtimeConfigurationException("vendor", $"--vendor must be \"\" (OpenAI) or azure, not \"{other}\"."),
        };
        var dialect = (result.GetValue(Dialect) ?? "ga").ToLowerInvariant() switch
        {
            "ga" => RealtimeDialect.GA,
            "beta" => RealtimeDialect.Beta,
            var other => throw new RealtimeConfigurationException("dialect", $"--dialect must be ga or beta, not \"{other}\"."),
        };
        var key = result.GetValue(ApiKey)
            ?? Environment.GetEnvironmentVariable(vendor == RealtimeVendor.Azure ? "AZURE_OPENAI_API_KEY" : "OPENAI_API_KEY");
        var baseUri = result.GetValue(BaseUri);
        Uri? uri = null;
        if (!string.IsNullOrEmpty(baseUri) && !Uri.TryCreate(baseUri, UriKind.Absolute, out uri))
        {
            throw new RealtimeConfigurationException("base_uri", $"--base-uri must be an absolute URI such as wss://api.openai.com, not \"{baseUri}\".");
        }
        var options = new RealtimeClientOptions
        {
            ApiKey = string.IsNullOrEmpty(key) ? null : key,
            BaseUri = uri,
            Path = result.GetValue(Path),
            Vendor = vendor,
            Dialect = dialect,
            Model = result.GetValue(Model) ?? (dialect == RealtimeDialect.Beta ? "gpt-4o-realtime-preview" : "gpt-realtime"),
        };
        return (options, options.ApiKey is null && uri is null);
    }
}
