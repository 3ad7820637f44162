using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Voice.Configuration;

/// <summary>
/// The <c>session.update</c> that configures a connection, and the service's answer to it: <c>session.updated</c>
/// (accepted) or an <c>error</c> that names its event id (refused). The configure's update is the first one sent on a
/// connection, so the first <c>session.updated</c> of that connection answers it. Actor-owned (or, before the actor
/// runs, the reader's).
/// </summary>
internal sealed class ConfigureAnswer
{
    private TaskCompletionSource<RealtimeErrorDetails?> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The event id of the configure's update on the live connection.</summary>
    public string? EventId { get; private set; }

    /// <summary>Null once accepted, the service's error once refused.</summary>
    public Task<RealtimeErrorDetails?> Answer => _answer.Task;

    /// <summary>A new connection is being configured with the update <paramref name="eventId"/>.</summary>
    public void Sent(string eventId)
    {
        EventId = eventId;
        _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Accepted() => _answer.TrySetResult(null);

    /// <summary>
    /// True when <paramref name="error"/> refuses the configure's update (it was noted as the answer): it names the update,
    /// or, naming no event (the service does not always say which event it refuses), it comes while the update is
    /// unanswered and names a parameter of the session.
    /// </summary>
    public bool IsRefusal(ErrorEvent error)
    {
        var named = error.Error.EventId;
        var unnamedOfTheSession = named is null && !_answer.Task.IsCompleted && error.Error.Param?.StartsWith("session.", StringComparison.Ordinal) == true;
        if (EventId is null || (named != EventId && !unnamedOfTheSession))
        {
            return false;
        }
        _answer.TrySetResult(error.Error);
        return true;
    }
}
