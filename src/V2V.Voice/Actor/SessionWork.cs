using V2V.Realtime.Protocol;

namespace V2V.Voice.Actor;

/// <summary>An entry of the session's mailbox.</summary>
internal abstract record SessionWork;

/// <summary>A server event of connection <paramref name="Generation"/>: stale once that connection is replaced.</summary>
internal sealed record ServerEventWork(int Generation, RealtimeServerEvent Event) : SessionWork;

/// <summary>An action to run on the actor; <paramref name="Done"/>, when given, gets its end (or its exception).</summary>
internal sealed record ActionWork(Func<CancellationToken, ValueTask> Action, TaskCompletionSource? Done, string? Reason) : SessionWork;
