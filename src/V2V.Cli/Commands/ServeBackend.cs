using System.Text.Json.Nodes;

namespace V2V.Cli.Commands;

/// <summary>
/// Which realtime service <c>v2v serve</c> gives its sessions, as <c>openai_v2v</c> properties: OpenAI with its key
/// variable; Azure OpenAI's GA endpoint when asked (<c>--vendor azure</c>) or when only Azure's variables are set;
/// otherwise nothing, and the local realtime server answers. Keys are referred to as <c>${env:NAME|}</c>, so they are
/// read where they are used and never sit in this process's arguments.
/// </summary>
internal static class ServeBackend
{
    public const string OpenAIKeyVariable = "OPENAI_API_KEY";
    public const string AzureKeyVariable = "AZURE_OPENAI_API_KEY";
    public const string AzureEndpointVariable = "AZURE_OPENAI_ENDPOINT";
    public const string AzureDeploymentVariable = "AZURE_OPENAI_DEPLOYMENT";

    /// <summary>
    /// Sets the backend's properties, then the flags', then each <c>--set name=value</c>. False (said on
    /// <paramref name="errors"/>) when an assignment is not <c>name=value</c>. <paramref name="readKeyFrom"/> is the
    /// environment variable the key is read from, for the fix of a refused key.
    /// </summary>
    public static bool TryConfigure(JsonObject properties, Func<string, string?> environment, string? keyVariable, string? vendor,
        string? baseUri, string? path, string? model, IEnumerable<string> assignments, TextWriter errors, out string readKeyFrom)
    {
        var askedForAzure = string.Equals(vendor, "azure", StringComparison.OrdinalIgnoreCase);
        var azureFromEnvironment = vendor is null && baseUri is null
            && string.IsNullOrEmpty(environment(keyVariable ?? OpenAIKeyVariable))
            && !string.IsNullOrEmpty(environment(AzureEndpointVariable))
            && !string.IsNullOrEmpty(environment(AzureKeyVariable));
        if (askedForAzure || azureFromEnvironment)
        {
            // Azure OpenAI's GA endpoint: the resource as base_uri, the deployment as model, GA, no path.
            readKeyFrom = (askedForAzure ? keyVariable : null) ?? AzureKeyVariable;
            properties["vendor"] = "azure";
            // The deprecated preview endpoint (a path with api-version) speaks beta.
            properties["dialect"] = path?.Contains("api-version=", StringComparison.OrdinalIgnoreCase) == true ? "beta" : "ga";
            SetIf(properties, "base_uri", environment(AzureEndpointVariable));
            properties["model"] = environment(AzureDeploymentVariable) is { Length: > 0 } deployment ? deployment : ConnectionOptions.DefaultModel;
        }
        else
        {
            readKeyFrom = keyVariable ?? OpenAIKeyVariable;
        }
        properties["api_key"] = $"${{env:{readKeyFrom}|}}";
        SetIf(properties, "vendor", vendor);
        SetIf(properties, "base_uri", baseUri);
        SetIf(properties, "path", path);
        SetIf(properties, "model", model);
        foreach (var assignment in assignments)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.WriteLine($"v2v serve: --set '{assignment}': expected name=value, e.g. --set greeting=Hello!");
                return false;
            }
            properties[assignment[..equals]] = assignment[(equals + 1)..];
        }
        return true;
    }

    /// <summary>What to do when the service refuses the key read from <paramref name="variable"/>.</summary>
    public static string RefusedKeyFix(string variable) =>
        $"Set {variable} to a valid key of this service and restart v2v serve (or name another variable with --api-key-env).";

    private static void SetIf(JsonObject properties, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            properties[name] = value;
        }
    }
}
