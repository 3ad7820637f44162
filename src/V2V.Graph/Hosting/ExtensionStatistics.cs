namespace V2V.Graph.Hosting;

/// <summary>What one extension of a running graph has done so far.</summary>
/// <param name="Name">The instance name.</param>
/// <param name="CmdsHandled">Commands it handled (including those that failed).</param>
/// <param name="MessagesHandled">Data messages and audio frames it handled.</param>
/// <param name="BackPressureWaits">Times a sender found its message queue full and waited.</param>
/// <param name="Dropped">Messages to it that arrived after it stopped, or were queued when it stopped.</param>
/// <param name="HandlerErrors">Handlers of it that threw (the extension goes on).</param>
/// <param name="Unrouted">Data and frames it sent that no route takes.</param>
public sealed record ExtensionStatistics(string Name, long CmdsHandled, long MessagesHandled, long BackPressureWaits, long Dropped, long HandlerErrors, long Unrouted);
