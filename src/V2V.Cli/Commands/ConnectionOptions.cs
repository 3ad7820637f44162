using System.CommandLine;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;

namespace V2V.Cli.Commands;

/// <summary>
/// The options that say where the agent's model is: the same names as the extension's properties. With no
/// key and no base URI the local realtime server is started in-process. <c>--vendor azure</c> reads the resource
/// from AZURE_OPENAI_ENDPOINT, the deployment from AZURE_OPENAI_DEPLOYMENT and the key from AZURE_OPENAI_API_KEY
/// when the flags do not say them, and connects to Azure's GA endpoint.
/// </summary>
internal sealed class ConnectionOptions
{
    /// <summary>The model when none is named: OpenAI's current realtime model, and on Azure the usual name of its deployment.</summary>
    public const string DefaultModel = "gpt-realtime";

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "API key (default: $OPENAI_API_KEY, or $AZURE_OPENAI_API_KEY with --vendor azure). None: the local realtime server." };

    public Option<string?> BaseUri { get; } = new("--base-uri") { Description = "Endpoint, e.g. wss://api.openai.com, wss://RESOURCE.openai.azure.com (default with --vendor azure: $AZURE_OPENAI_ENDPOINT), ws://127.0.0.1:8765." };

    public Option<string?> Path { get; } = new("--path") { Description = "Path and query, when not the default (OpenAI /v1/realtime, Azure /openai/v1/realtime). Azure's deprecated preview: /openai/realtime?api-version=...&deployment=NAME with --dialect beta." };

    public Option<string> Vendor { get; } = new("--vendor") { Description = "\"\" (OpenAI) or azure.", DefaultValueFactory = _ => "" };

    public Option<string?> Model { get; } = new("--model") { Description = $"Model; on Azure the deployment (default {DefaultModel}, with --vendor azure $AZURE_OPENAI_DEPLOYMENT if set)." };

    public Option<string> Dialect { get; } = new("--dialect") { Description = "Protocol dialect: ga, or beta (Azure's deprecated preview endpoint, servers that still speak it; retired on OpenAI).", DefaultValueFactory = _ => "ga" };

    public void AddTo(Command command)
    {
        command.Options.Add(ApiKey);
        command.Options.Add(BaseUri);
        command.Options.Add(Path);
        command.Options.Add(Vendor);
        command.Options.Add(Model);
        command.Options.Add(Dialect);
    }

    /// <summary>The flag that sets an option of <see cref="RealtimeClientOptions"/>, to say the client's errors in the words of the command line.</summary>
    public static string FlagOf(string option) => option switch
    {
        nameof(RealtimeClientOptions.ApiKey) or nameof(RealtimeClientOptions.BearerToken) => "--api-key",
        nameof(RealtimeClientOptions.BaseUri) => "--base-uri",
        nameof(RealtimeClientOptions.Path) => "--path",
        nameof(RealtimeClientOptions.Vendor) => "--vendor",
        nameof(RealtimeClientOptions.Model) => "--model",
        nameof(RealtimeClientOptions.Dialect) => "--dialect",
        _ => option,
    };

    /// <summary>Where the key came from, in the command line's words, for "check it" when the service refuses it.</summary>
    public string KeySourceOf(ParseResult result) => result.GetValue(ApiKey) is not null ? "--api-key"
        : string.Equals(result.GetValue(Vendor), "azure", StringComparison.OrdinalIgnoreCase) ? "AZURE_OPENAI_API_KEY (or --api-key)"
        : "OPENAI_API_KEY (or --api-key)";

    /// <summary>The client options, and whether the local realtime server must be started (no key, no endpoint).</summary>
    public (RealtimeClientOptions Options, bool UseLocalServer) Read(ParseResult result)
    {
        var vendor = (result.GetValue(Vendor) ?? "").ToLowerInvariant() switch
        {
            "" or "openai" => RealtimeVendor.OpenAI,
            "azure" => RealtimeVendor.Azure,
            var other => throw new UsageException($"--vendor must be \"\" (OpenAI) or azure, not \"{other}\"."),
        };
        var dialect = (result.GetValue(Dialect) ?? "ga").ToLowerInvariant() switch
        {
            "ga" => RealtimeDialect.GA,
            "beta" => RealtimeDialect.Beta,
            var other => throw new UsageException($"--dialect must be ga or beta, not \"{other}\"."),
        };
        var azure = vendor == RealtimeVendor.Azure;
        var key = result.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable(azure ? "AZURE_OPENAI_API_KEY" : "OPENAI_API_KEY");
        var baseUri = result.GetValue(BaseUri) ?? (azure ? Environment.GetEnvironmentVariable("AZURE_OPENAI_ENDPOINT") : null);
        Uri? uri = null;
        if (!string.IsNullOrEmpty(baseUri) && !Uri.TryCreate(baseUri, UriKind.Absolute, out uri))
        {
            throw new UsageException($"--base-uri must be an absolute URI such as wss://api.openai.com or wss://RESOURCE.openai.azure.com, not \"{baseUri}\".");
        }
        var model = result.GetValue(Model)
            ?? (azure ? NullIfEmpty(Environment.GetEnvironmentVariable("AZURE_OPENAI_DEPLOYMENT")) : null)
            ?? DefaultModel;
        var options = new RealtimeClientOptions
        {
            ApiKey = string.IsNullOrEmpty(key) ? null : key,
            BaseUri = uri,
            Path = result.GetValue(Path),
            Vendor = vendor,
            Dialect = dialect,
            Model = model,
        };
        return (options, options.ApiKey is null && uri is null);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
