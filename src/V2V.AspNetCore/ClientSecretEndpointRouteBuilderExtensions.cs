using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using V2V.Realtime.Client;
using V2V.Voice;

namespace V2V.AspNetCore;

/// <summary>Ephemeral keys for clients that must not hold the API key: <see cref="MapRealtimeClientSecrets"/>.</summary>
public static partial class ClientSecretEndpointRouteBuilderExtensions
{
    /// <summary>
    /// <c>POST {pattern}</c> makes an ephemeral key (<c>ek_...</c>) with the server's API key and answers
    /// <c>{"value": "ek_...", "expiresAt": UNIX SECONDS, "model": ...}</c> (<c>Cache-Control: no-store</c>), for a client
    /// on a user's device (<see cref="RealtimeClientOptions.ApiKeyProvider"/>) or a page that talks to the service
    /// itself. Anyone who can call it spends your key: add your authorization to what this returns
    /// (<c>.RequireAuthorization()</c>). The service refusing: 502 with its reason (the key never in it); the service
    /// busy or unreachable: 503, with its <c>Retry-After</c> when it gave one.
    /// </summary>
    /// <exception cref="InvalidOperationException">No <see cref="ClientSecretEndpointOptions.Connection"/> and no voice sessions registered.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is at fault (named).</exception>
    public static IEndpointConventionBuilder MapRealtimeClientSecrets(this IEndpointRouteBuilder endpoints, string pattern, Action<ClientSecretEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var options = new ClientSecretEndpointOptions();
        configure?.Invoke(options);
        options.Validate();
        var services = endpoints.ServiceProvider;
        var connection = options.Connection
            ?? (services.GetService<VoiceSessionFactory>() is not null ? services.GetRequiredService<IOptionsMonitor<VoiceSessionOptions>>().CurrentValue.Connection : null)
            ?? throw new InvalidOperationException("MapRealtimeClientSecrets needs the API key's connection: set ClientSecretEndpointOptions.Connection, or register the voice sessions (AddVoiceSessions) whose connection it then uses.");
        var loggerFactory = services.GetService<ILoggerFactory>();
        var logger = loggerFactory?.CreateLogger("V2V.AspNetCore.ClientSecrets") ?? NullLogger.Instance;
        // One client for every request: it holds the key and the endpoint, and opens no connection of its own.
        var client = new Lazy<RealtimeClient>(() => new RealtimeClient(connection));
        return endpoints.MapPost(pattern, http => CreateAsync(http, client.Value, options, logger));
    }

    private static async Task CreateAsync(HttpContext http, RealtimeClient client, ClientSecretEndpointOptions options, ILogger logger)
    {
        http.Response.Headers.CacheControl = "no-store";
        var request = new RealtimeClientSecretOptions { ExpiresAfter = options.ExpiresAfter };
        RealtimeClientSecret secret;
        try
        {
            if (options.ConfigureSecret is { } configure)
            {
                await configure(http, request, http.RequestAborted).ConfigureAwait(false);
            }
            secret = await client.CreateClientSecretAsync(request, http.RequestAborted).ConfigureAwait(false);
        }
        catch (RealtimeRequestException ex)
        {
            LogRefused(logger, ex.StatusCode, ex.ErrorCode);
            http.Response.StatusCode = ex.IsTransient ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway;
            if (ex.RetryAfter is { } wait)
            {
                http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }
            await WriteErrorAsync(http, ex.IsTransient ? "the realtime service could not make a key now; try again" : $"the realtime service refused to make a key: {ex.Reason ?? ex.Message}", ex.ErrorCode ?? "refused").ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            // The app's own configuration or ConfigureSecret: its message may say what only the server should know.
            LogFailed(logger, ex);
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await WriteErrorAsync(http, "the key could not be made (see the server's log)", "failed").ConfigureAwait(false);
            return;
        }
        LogMade(logger, secret.ExpiresAt);
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteString("value", secret.Value);
        json.WriteNumber("expiresAt", secret.ExpiresAt.ToUnixTimeSeconds());
        json.WriteString("model", secret.Model);
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpContext http, string message, string code)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", SecretRedactor.RedactKeys(message));
        json.WriteString("code", code);
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Made an ephemeral key expiring {ExpiresAt:u}")]
    private static partial void LogMade(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The realtime service did not make an ephemeral key (status {Status}, code {Code})")]
    private static partial void LogRefused(ILogger logger, int? status, string? code);

    [LoggerMessage(Level = LogLevel.Error, Message = "An ephemeral key could not be made")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
