using System.Text;
using System.Text.RegularExpressions;

namespace V2V.Realtime.Client;

/// <summary>Removes secrets from what may be shown: URLs (query parameters that carry keys) and free text.</summary>
public static partial class SecretRedactor
{
    private static readonly string[] SecretParameters = ["api-key", "api_key", "apikey", "key", "token", "access_token", "sig", "signature", "authorization", "client_secret"];

    /// <summary>The URL with the values of secret-bearing query parameters replaced by <c>***</c>.</summary>
    public static string RedactUrl(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (string.IsNullOrEmpty(uri.Query))
        {
            return uri.GetLeftPart(UriPartial.Path);
        }
        var builder = new StringBuilder(uri.GetLeftPart(UriPartial.Path)).Append('?');
        var first = true;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            builder.Append(first ? "" : "&").Append(name);
            if (eq >= 0)
            {
                builder.Append('=').Append(IsSecret(Uri.UnescapeDataString(name)) ? "***" : pair[(eq + 1)..]);
            }
            first = false;
        }
        return builder.ToString();
    }

    /// <summary>The text with every occurrence of <paramref name="secret"/> replaced by <c>***</c>.</summary>
    public static string Redact(string text, string? secret) =>
        string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(text) ? text : text.Replace(secret, "***", StringComparison.Ordinal);

    /// <summary>
    /// The text with whatever looks like a key or token masked: OpenAI keys (<c>sk-...</c>, even half-masked as
    /// the service echoes them), ephemeral keys (<c>ek_...</c>), bearer tokens and JWTs, long runs of key characters (Azure's keys), and the values
    /// of secret query parameters. For text from elsewhere (a server's error), whose secrets are not known.
    /// </summary>
    public static string RedactKeys(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = OpenAiKey().Replace(text, "sk-***");
        text = EphemeralKey().Replace(text, "ek_***");
        text = BearerToken().Replace(text, "Bearer ***");
        text = Jwt().Replace(text, "***");
        text = LongKey().Replace(text, "***");
        return SecretParameter().Replace(text, m => m.Groups["name"].Value + "=***");
    }

    [GeneratedRegex(@"\bsk-[A-Za-z0-9_\-\*]{4,}", RegexOptions.CultureInvariant)]
    private static partial Regex OpenAiKey();

    // A client secret (ek_ and 32 hex characters, or half-masked as a service echoes it): "_" joins it into one word,
    // so the long-run rule below would not see it.
    [GeneratedRegex(@"\bek_[A-Za-z0-9_\-\*]{4,}", RegexOptions.CultureInvariant)]
    private static partial Regex EphemeralKey();

    [GeneratedRegex(@"\bBearer\s+[^\s""',;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b[A-Za-z0-9]{32,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex LongKey();

    [GeneratedRegex(@"\b(?<name>api[-_]?key|key|token|access_token|sig|signature|client_secret)=[^&\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();

    private static bool IsSecret(string name) => SecretParameters.Contains(name, StringComparer.OrdinalIgnoreCase);
}
