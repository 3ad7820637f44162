using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace V2V.AspNetCore;

/// <summary>
/// The sessions of an endpoint that a page may resume, by the token each gave its page in <c>ready</c>. A token is
/// 128 random bits, good once: claiming it removes it, and the session gives its page a new one with each <c>ready</c>.
/// Whoever holds a session's token may take its conversation over, so it goes to that page only and is never logged.
/// </summary>
internal sealed class ResumeTokens
{
    private readonly ConcurrentDictionary<string, VoiceAgentConnection> _sessions = new(StringComparer.Ordinal);

    /// <summary>A new token for <paramref name="session"/>.</summary>
    public string Issue(VoiceAgentConnection session)
    {
        while (true)
        {
            var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
            if (_sessions.TryAdd(token, session))
            {
                return token;
            }
        }
    }

    public void Revoke(string? token)
    {
        if (token is not null)
        {
            _sessions.TryRemove(token, out _);
        }
    }

    /// <summary>The session whose token this is, which it no longer is; null for a token unknown, used or revoked.</summary>
    public VoiceAgentConnection? Claim(string token) => _sessions.TryRemove(token, out var session) ? session : null;
}
