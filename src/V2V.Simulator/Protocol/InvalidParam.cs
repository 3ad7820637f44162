namespace V2V.Simulator.Protocol;

/// <summary>
/// A parameter the service refuses, worded as its <c>error</c> event words it, before the client's
/// <c>event_id</c> is known: the rules that find it are pure and know nothing of the event around them.
/// </summary>
internal sealed record InvalidParam(string Code, string Message, string Param)
{
    public RealtimeError ToError(string? eventId) => RealtimeError.Invalid(Code, Message, Param, eventId);
}
