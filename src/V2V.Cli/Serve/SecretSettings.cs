using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using V2V.Playground.Telephony;

namespace V2V.Cli.Serve;

/// <summary>
/// The Twilio auth token is a secret: v2v serve reads it only from an environment variable, never from a settings
/// file (files are copied, committed and baked into images). A setting that looks like it (<c>AuthToken</c>,
/// <c>TwilioAuthToken</c>, anywhere in the configuration) is refused at start, saying where it is and where the token
/// goes instead; its value is never repeated.
/// </summary>
internal static class SecretSettings
{
    /// <summary>The first setting that holds a secret, said as a problem; or null.</summary>
    public static string? FirstProblem(IConfigurationRoot root)
    {
        var key = root.AsEnumerable().Select(p => p.Key).Where(IsAuthToken).Order(StringComparer.Ordinal).FirstOrDefault();
        if (key is null)
        {
            return null;
        }
        return $"{key} ({Source(root, key)}) would hold the Twilio auth token, which v2v serve never reads from settings: "
            + $"remove it, and put the token in the environment variable {TelephonyOptions.AuthTokenVariable} "
            + $"(or the one Serve:Phone:AuthTokenEnv or --twilio-auth-token-env names).";
    }

    // "AuthTokenEnv" names the variable, which is the right way; "AuthToken", "TwilioAuthToken", "Auth_Token" are the token.
    private static bool IsAuthToken(string key)
    {
        var name = key[(key.LastIndexOf(':') + 1)..].Replace("_", "", StringComparison.Ordinal);
        return name.Contains("AuthToken", StringComparison.OrdinalIgnoreCase) && !name.EndsWith("Env", StringComparison.OrdinalIgnoreCase);
    }

    // The last source that sets the key is the one the user must edit.
    private static string Source(IConfigurationRoot root, string key)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.TryGet(key, out _))
            {
                continue;
            }
            return provider switch
            {
                FileConfigurationProvider file => $"in {file.Source.FileProvider?.GetFileInfo(file.Source.Path ?? "").PhysicalPath ?? file.Source.Path}",
                EnvironmentVariablesConfigurationProvider => $"the environment variable {ServeSetting.EnvironmentPrefix}{key.Replace(":", "__", StringComparison.Ordinal)}",
                _ => "on the command line",
            };
        }
        return "in the settings";
    }
}
