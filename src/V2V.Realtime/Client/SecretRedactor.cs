using System.Text;

namespace V2V.Realtime.Client;

/// <summary>Removes secrets from what may be shown: URLs (query parameters that carry keys) and free text.</summary>
public static class SecretRedactor
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

    private static bool IsSecret(string name) => SecretParameters.Contains(name, StringComparer.OrdinalIgnoreCase);
}
