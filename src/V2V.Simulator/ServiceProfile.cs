namespace V2V.Simulator;

/// <summary>
/// Which real service the <see cref="LocalRealtimeServer"/> imitates, as strictly as that service behaves
/// (2026-12): the one URL form it serves, how clients authenticate, the protocol dialect, and how long a session
/// may last. Set with <see cref="LocalRealtimeServerOptions.Profile"/>; on the command line <c>--profile</c>
/// (names in <see cref="ServiceProfileNames"/>).
/// </summary>
public enum ServiceProfile
{
    /// <summary>
    /// OpenAI (the default): <c>/v1/realtime?model=...</c>, <c>Authorization: Bearer KEY</c> or the browser
    /// subprotocol <c>openai-insecure-api-key.KEY</c>; GA protocol only (a client asking for beta gets
    /// <c>beta_api_shape_disabled</c> and close 4000); sessions end after 60 minutes.
    /// </summary>
    OpenAi,

    /// <summary>
    /// Azure OpenAI's GA endpoint: <c>/openai/v1/realtime?model=DEPLOYMENT</c>, <c>api-key</c> header or
    /// <c>Authorization: Bearer TOKEN</c> (Entra ID); GA protocol; sessions end after 30 minutes.
    /// </summary>
    Azure,

    /// <summary>
    /// Azure OpenAI's deprecated preview endpoint: <c>/openai/realtime?api-version=...&amp;deployment=...</c>,
    /// <c>api-key</c> header; beta protocol with or without <c>OpenAI-Beta: realtime=v1</c>; sessions end after
    /// 30 minutes.
    /// </summary>
    AzurePreview,
}
