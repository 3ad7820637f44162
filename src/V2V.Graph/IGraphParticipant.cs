namespace V2V.Graph;

/// <summary>
/// An extension whose work has an end, such as a file source: when every participant of a graph has
/// completed and no message has flowed for the idle period, a file-driven run is done
/// (<see cref="Hosting.RunningGraph.WaitForCompletionAsync"/>). Graphs without participants run until stopped.
/// </summary>
public interface IGraphParticipant
{
    /// <summary>Completes when the extension has sent all it had to send; faults if it failed.</summary>
    Task Completion { get; }
}
