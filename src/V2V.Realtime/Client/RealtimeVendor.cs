namespace V2V.Realtime.Client;

/// <summary>Who serves the realtime endpoint; it decides the authentication header and the form of the path.</summary>
public enum RealtimeVendor
{
    /// <summary>OpenAI, or any server that speaks as OpenAI does (the local realtime server): header <c>Authorization: Bearer KEY</c>.</summary>
    OpenAI = 0,

    /// <summary>
    /// Azure OpenAI: header <c>api-key: KEY</c> (or a Bearer token); GA path <c>/openai/v1/realtime?model=DEPLOYMENT</c>,
    /// or the deprecated preview path with <c>api-version</c> and <c>deployment</c>.
    /// </summary>
    Azure = 1,
}
