using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using V2V.Simulator.ClientSecrets;

namespace V2V.Simulator.Endpoints;

/// <summary>
/// The key a request presents, in its profile's ways: OpenAI takes a Bearer key, or, from browsers (which cannot set
/// headers on a WebSocket), the subprotocol <c>openai-insecure-api-key.KEY</c>; Azure takes the <c>api-key</c> header
/// or a Bearer token (Entra ID; here the same key stands for the token). A key that begins <c>ek_</c> is an ephemeral
/// client secret: it is looked up among the minted ones, never compared with the API key.
/// </summary>
/// <remarks>Not a record: a record's <c>ToString</c> would print the key into whatever log it reached.</remarks>
internal sealed class PresentedKey
{
    private const string KeyProtocol = "openai-insecure-api-key.";

    private PresentedKey(string? value, bool viaBearer)
    {
        Value = value;
        ViaBearer = viaBearer;
    }

    /// <summary>The key, or null when none was presented.</summary>
    public string? Value { get; }

    /// <summary>Whether it came as <c>Authorization: Bearer</c> (Azure words its refusal of a token apart from a key's).</summary>
    public bool ViaBearer { get; }

    public bool IsEphemeral => Value?.StartsWith(ClientSecret.Prefix, StringComparison.Ordinal) == true;

    /// <param name="request">The request.</param>
    /// <param name="profile">The server's profile, which decides where keys are read.</param>
    /// <param name="protocols">The WebSocket subprotocols asked for (none on a plain HTTP request).</param>
    public static PresentedKey Read(HttpRequest request, ServiceProfile profile, IList<string> protocols)
    {
        string? key = null;
        var viaBearer = false;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
            viaBearer = true;
        }

        if (profile.IsAzure() && request.Headers.TryGetValue("api-key", out var apiKey))
        {
            key = apiKey.ToString();
            viaBearer = false;
        }

        if (!profile.IsAzure())
        {
            key ??= protocols.FirstOrDefault(p => p.StartsWith(KeyProtocol, StringComparison.Ordinal))?[KeyProtocol.Length..];
        }

        return new PresentedKey(key, viaBearer);
    }

    /// <summary>Whether this (standard) key is let in: any is with no <paramref name="apiKey"/> configured, else only that one.</summary>
    public bool Opens(string? apiKey) =>
        apiKey is null
        || (Value is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Value), Encoding.UTF8.GetBytes(apiKey)));
}
