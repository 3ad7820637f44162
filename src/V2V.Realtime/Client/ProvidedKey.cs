namespace V2V.Realtime.Client;

/// <summary>
/// The key of one connection from <see cref="RealtimeClientOptions.ApiKeyProvider"/>: asked for within the handshake's
/// timeout; its failure worded as a handshake's, without the key.
/// </summary>
internal static class ProvidedKey
{
    /// <param name="provider">The options' provider.</param>
    /// <param name="endpoint">The endpoint about to be connected (for the failure's words).</param>
        /// <param name="timeout">The handshake's token: the caller's and the connect timeout.</param>
    public static async ValueTask<string> GetAsync(Func<CancellationToken, ValueTask<string>> provider, RealtimeEndpoint endpoint, CancellationToken timeout)
    {
        string? key;
        try
        {
            key = await provider(timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw; // the caller's cancellation, or the connect timeout: the handshake's own handling says which
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
