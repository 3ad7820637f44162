using System.Security.Cryptography;
using System.Text;

namespace V2V.Playground.Telephony;

/// <summary>
/// Twilio's request signature (<c>X-Twilio-Signature</c>), as Twilio publishes it: the full URL, then each POST
/// parameter's name and value in the order of the sorted names, HMAC-SHA1 with the account's auth token, base64.
/// A media stream's WebSocket handshake is a GET: its signature covers the URL alone.
/// </summary>
internal static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    /// <summary>The signature Twilio sends for <paramref name="url"/> (and <paramref name="parameters"/>, for a POST).</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>>? parameters = null)
    {
        var signed = new StringBuilder(url);
        foreach (var (name, value) in (parameters ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            signed.Append(name).Append(value);
        }
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(signed.ToString()));
        return Convert.ToBase64String(mac);
    }

    /// <summary>Whether <paramref name="presented"/> is the signature of <paramref name="url"/>; in constant time.</summary>
    public static bool IsValid(string authToken, string url, string? presented) =>
        !string.IsNullOrEmpty(presented)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(authToken, url)), Encoding.ASCII.GetBytes(presented));
}
