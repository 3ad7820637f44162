using Microsoft.Extensions.Logging;
using V2V.Voice.Actor;
using V2V.Voice.Outputs;

namespace V2V.Voice.Session;

/// <summary>The session's state as the reader sees it, and its end: a fatal error said once, or the caller's dispose.</summary>
internal sealed class SessionStatus(SessionContext context, SessionInbox inbox, ServerLink link)
{
    public VoiceSessionState State { get; private set; } = VoiceSessionState.Connecting;

    public ValueTask ChangeAsync(VoiceSessionState state, string? detail, CancellationToken ct)
    {
        State = state;
        return context.EmitAsync(new StateOutput(state, detail), ct);
    }

    /// <summary>A fatal error: said to the reader once, then the session stops taking work and the connection is closed.</summary>
    public async ValueTask FailAsync(string message, CancellationToken ct, string? code = null)
    {
        if (!inbox.TryStop())
        {
            return;
        }
        context.Logger.LogError("Voice session failed: {Message}", message);
        State = VoiceSessionState.Stopped;
        await context.EmitAsync(new ErrorOutput(message, code, Fatal: true), ct).ConfigureAwait(false);
        await context.EmitAsync(new StateOutput(VoiceSessionState.Stopped, message), ct).ConfigureAwait(false);
        inbox.Complete();
        context.Outputs.TryComplete();
        await link.Connection.StopAsync().ConfigureAwait(false);
    }

    /// <summary>The caller disposed the session: the last output, once the actor and the connection have stopped.</summary>
    public void Disposed()
    {
        State = VoiceSessionState.Stopped;
        context.Outputs.TryWrite(new StateOutput(VoiceSessionState.Stopped, null));
        context.Outputs.TryComplete();
    }
}
