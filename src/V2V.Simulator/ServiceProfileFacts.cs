namespace V2V.Simulator;

/// <summary>What each <see cref="ServiceProfile"/> serves, as the real service does: its path, its example query, its session lifetime.</summary>
internal static class ServiceProfileFacts
{
    /// <summary>The one path the profile serves.</summary>
    public static string Path(this ServiceProfile profile) => profile switch
    {
        ServiceProfile.Azure => "/openai/v1/realtime",
        ServiceProfile.AzurePreview => "/openai/realtime",
        _ => "/v1/realtime",
    };

    /// <summary>A query a client of the profile sends, with the models the services name in their own examples.</summary>
    public static string ExampleQuery(this ServiceProfile profile) => profile switch
    {
        ServiceProfile.AzurePreview => "?api-version=2025-04-01-preview&deployment=gpt-4o-realtime-preview",
        _ => "?model=gpt-realtime",
    };

    /// <summary>The path with what its query must carry, as error messages show it.</summary>
    public static string PathForm(this ServiceProfile profile) => profile switch
    {
        ServiceProfile.Azure => "/openai/v1/realtime?model=<deployment>",
        ServiceProfile.AzurePreview => "/openai/realtime?api-version=...&deployment=<deployment>",
        _ => "/v1/realtime?model=...",
    };

    /// <summary>OpenAI ends sessions at 60 minutes, Azure OpenAI at 30.</summary>
    public static TimeSpan DefaultSessionLifetime(this ServiceProfile profile) =>
        profile == ServiceProfile.OpenAi ? TimeSpan.FromMinutes(60) : TimeSpan.FromMinutes(30);

    /// <summary>
    /// Whether the transcription model is a deployment name, as on Azure's GA endpoint. The preview endpoint took
    /// OpenAI's model names (<c>whisper-1</c>), as its own documentation shows.
    /// </summary>
    public static bool NamesTranscriptionDeployments(this ServiceProfile profile) => profile == ServiceProfile.Azure;

    /// <summary>Azure answers refusals with its own error body (<c>{"error":{"code","message"}}</c>).</summary>
    public static bool IsAzure(this ServiceProfile profile) => profile != ServiceProfile.OpenAi;
}
