namespace V2V.Realtime.Client;

/// <summary>
/// The key of one connection from <see cref="RealtimeClientOptions.ApiKeyProvider"/>: asked for within the handshake's
/// timeout; its failure worded as a handshake's, without the key.
/// </summary>
internal static class ProvidedKey
{
    /// <param name="provider">The options' provider.</param>
    /// <param name="endpoint">The endpoint about to be connected (for the failure's words).</param>
    /// <param name="connectTimeout">How long the handshake may take, the provider's time included.</param>
    /// <param name="timeout">The handshake's token: the caller's and the connect timeout.</param>
    /// <param name="caller">The caller's own token, to tell its cancellation from the timeout.</param>
    public static async ValueTask<string> GetAsync(Func<CancellationToken, ValueTask<string>> provider, RealtimeEndpoint endpoint, TimeSpan connectTimeout, CancellationToken timeout, CancellationToken caller)
    {
        string? key;
        try
        {
            key = await provider(timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (caller.IsCancellationRequested)
        {
            throw; // the caller gave up: no failure of ours
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            // Said as the provider's, not as a handshake that timed out: the server was never asked.
            throw new RealtimeHandshakeException(
                $"ApiKeyProvider gave no key within the connect timeout ({connectTimeout.TotalSeconds:0.#} s) for {endpoint.DisplayUrl}; the realtime endpoint was not contacted.", endpoint.DisplayUrl, null, ex);
        }
        catch (Exception ex) when (ex is not RealtimeException)
        {
            // A failure of the app's own code (its server unreachable, say): this attempt fails; one that reconnects tries again.
            throw new RealtimeHandshakeException(
                $"ApiKeyProvider failed before connecting to {endpoint.DisplayUrl}: {SecretRedactor.RedactKeys(ex.Message)}", endpoint.DisplayUrl, null, ex);
        }
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new RealtimeConfigurationException(nameof(RealtimeClientOptions.ApiKeyProvider),
                $"ApiKeyProvider returned no key for {endpoint.DisplayUrl}: it must return the key to connect with (e.g. an ephemeral key from your server).");
        }
        return key;
    }
}
