namespace V2V.Simulator.Protocol;

/// <summary>
/// A parameter the service refuses, worded as its <c>error</c> event words it, before the client's
/// <c>event_id</c> is known: the rules that find it are pure and know nothing of the event around them.
/// </summary>
internal sealed record InvalidParam(string Code, string Message, string Param)
{
    public RealtimeError ToError(string? eventId) => RealtimeError.Invalid(Code, Message, Param, eventId);

    /// <summary>
    /// GA answers in one modality ("It is not possible to request both text and audio at the same time"): a list of
    /// both at <paramref name="param"/> is refused (the wording is ours; the service's is not on record). Null when accepted.
    /// </summary>
    public static InvalidParam? BothModalities(System.Text.Json.JsonElement modalities, string param) =>
        modalities.ValueKind == System.Text.Json.JsonValueKind.Array
        && modalities.EnumerateArray().Select(m => m.GetString()).Distinct().Count() > 1
            ? new("invalid_value", $"Invalid '{param}': the model answers in one modality, text or audio, not both: ask for [\"audio\"] (its transcript comes with it) or [\"text\"].", param)
            : null;
}
