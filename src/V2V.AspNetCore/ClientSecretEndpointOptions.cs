using Microsoft.AspNetCore.Http;
using V2V.Realtime.Client;

namespace V2V.AspNetCore;

/// <summary>How <see cref="ClientSecretEndpointRouteBuilderExtensions.MapRealtimeClientSecrets"/> makes its keys.</summary>
public sealed class ClientSecretEndpointOptions
{
    /// <summary>
    /// The service and the API key the ephemeral keys are made with. Null (the default): the connection of the voice
    /// sessions registered with <c>AddVoiceSessions</c>, so an app configures its key once.
    /// </summary>
    public RealtimeClientOptions? Connection { get; set; }

    /// <summary>How long each key can open sessions (10 s to 2 h). Default 1 minute: a device asks again for each connection.</summary>
    public TimeSpan ExpiresAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Called for each request: the session the key's connections start with (<see cref="RealtimeClientSecretOptions.Session"/>:
    /// the user's instructions, voice, tools), from the request's user. Throwing refuses the request (500, the
    /// exception's message not shown).
    /// </summary>
    public Func<HttpContext, RealtimeClientSecretOptions, CancellationToken, ValueTask>? ConfigureSecret { get; set; }

    internal void Validate()
    {
        if (ExpiresAfter < RealtimeClientSecretOptions.MinExpiresAfter || ExpiresAfter > RealtimeClientSecretOptions.MaxExpiresAfter)
        {
            throw new ArgumentOutOfRangeException(nameof(ExpiresAfter), ExpiresAfter, $"{nameof(ExpiresAfter)} must be from 10 s to 2 h, as the service takes.");
        }
    }
}
