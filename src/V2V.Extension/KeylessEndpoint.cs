namespace V2V.Extension;

/// <summary>
/// Where a session connects when its node gives neither <c>api_key</c> nor <c>base_uri</c>. The host that builds
/// the graph decides (the CLI and the playground answer with the local realtime server they own); without one,
/// such a node does not start.
/// </summary>
/// <param name="Description">What answers, for the log, e.g. <c>the local realtime server</c>.</param>
/// <param name="GetBaseUriAsync">The server's base URI (e.g. <c>ws://127.0.0.1:PORT</c>), starting it if needed.</param>
/// <example>
/// <code>
/// registry.Add(OpenAIV2VAddon.Create(new KeylessEndpoint("the local realtime server", EmbeddedRealtimeServer.GetAsync)));
/// </code>
/// </example>
public sealed record KeylessEndpoint(string Description, Func<CancellationToken, Task<Uri>> GetBaseUriAsync);
