using Microsoft.Extensions.AI;
using V2V.Realtime.Client;

namespace V2V.Realtime.Extensions.AI;

/// <summary>
/// Our <see cref="RealtimeClient"/> as Microsoft.Extensions.AI's <see cref="IRealtimeClient"/>: each session is one
/// connection, configured with the options given (a <c>session.update</c>) before it is handed out, as Microsoft's
/// <c>OpenAIRealtimeClient</c> does. Wrap it with <c>AsBuilder()</c> for logging, OpenTelemetry or function invocation.
/// </summary>
public sealed class RealtimeChatClient : IRealtimeClient
{
    private readonly RealtimeClient _client;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Wraps <paramref name="client"/>; <paramref name="model"/> names the model in MEAI's metadata (telemetry).</summary>
    public RealtimeChatClient(RealtimeClient client, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        // Without its query: an Azure key may ride there, and telemetry only wants the server's address.
        var address = client.Endpoint is { } endpoint ? new UriBuilder(endpoint.Uri) { Query = "" }.Uri : null;
        _metadata = new ChatClientMetadata("openai", address, model);
    }

    /// <inheritdoc />
    public async Task<IRealtimeClientSession> CreateSessionAsync(RealtimeSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        RealtimeChatSession.CheckModel(options, _client.Endpoint?.Model); // before a connection is opened for nothing
        var connection = await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var session = new RealtimeChatSession(connection, _metadata, _client.Endpoint?.Model);
        try
        {
            if (options is not null)
            {
                await session.SendAsync(new SessionUpdateRealtimeClientMessage(options), cancellationToken).ConfigureAwait(false);
            }
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_client) ? _client
            : null;
    }

    /// <summary>Nothing to release: the wrapped client holds no connection; sessions own theirs.</summary>
    public void Dispose()
    {
    }
}
