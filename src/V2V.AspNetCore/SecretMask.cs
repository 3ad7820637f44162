using System.Text;
using System.Text.Json;

namespace V2V.AspNetCore;

/// <summary>
/// Secrets (an API key, MCP servers' tokens) masked as <c>***</c> in every JSON event to a page: the last line of
/// defence, should a message ever carry one (none is meant to). Thread-safe: it is built once and only read. The voice
/// agent endpoint masks its sessions' secrets with it, the playground its agents' (<c>PlaygroundSecrets</c>).
/// </summary>
internal sealed class SecretMask
{
    private const string Masked = "***";

    // Longest first, so that a secret holding another is masked whole. Each secret raw and as System.Text.Json writes it
    // in a string (its default encoder escapes '+', '<', '&', '\'' and non-ASCII as \uXXXX): a token of base64 with a '+'
    // reaches a page's event in its escaped form only.
    private readonly (string Text, byte[] Utf8)[] _forms;

    /// <param name="secrets">The values to mask; null and empty ones are skipped.</param>
    public SecretMask(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _forms = [.. secrets
            .Where(s => !string.IsNullOrEmpty(s))
            .SelectMany(s => new[] { s!, JsonEncodedText.Encode(s!).Value })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .Select(s => (s, Encoding.UTF8.GetBytes(s)))];
    }

    /// <summary>A mask that masks nothing.</summary>
    public static SecretMask None { get; } = new([]);

    /// <summary><paramref name="utf8Json"/> itself when it holds no secret, else a copy with each one replaced by <c>***</c>.</summary>
    public byte[] Apply(byte[] utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        var found = false;
        foreach (var (_, utf8) in _forms)
        {
            if (utf8Json.AsSpan().IndexOf(utf8) >= 0)
            {
                found = true;
                break;
            }
        }
        if (!found)
        {
            return utf8Json;
        }
        var text = Encoding.UTF8.GetString(utf8Json);
        foreach (var (secret, _) in _forms)
        {
            text = text.Replace(secret, Masked, StringComparison.Ordinal);
        }
        return Encoding.UTF8.GetBytes(text);
    }
}
