using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Voice.Actor;
using V2V.Voice.Configuration;
using V2V.Voice.Connection;
using V2V.Voice.Conversation;
using V2V.Voice.Input;
using V2V.Voice.Outputs;
using V2V.Voice.Tools;
using V2V.Voice.Transcripts;
using V2V.Voice.Turns;

namespace V2V.Voice.Session;

/// <summary>
/// The session's side of the connection stage (<see cref="ConnectionSupervisor"/>): what a new connection is told,
/// where its events go, and what a lost one means for the conversation. Holds no state of its own but what a new
/// connection's going live hands to its being told.
/// </summary>
internal sealed class SessionConnection(
    SessionContext context,
    SessionInbox inbox,
    SessionActor actor,
    SessionStatus status,
    SessionConfigurator configurator,
    TurnTracker turns,
    ToolCoordinator tools,
    SpokenTranscript transcript,
    ConversationFlow conversation,
    BargeIn bargeIn,
    ConnectionRenewal renewal,
    ToldUserSpeech toldSpeech,
    Diagnostics.FirstAudioTimer firstAudio,
    ResponseCoordinator responses,
    AnswerContinuation continuation,
    McpActivity mcp) : IConnectionOwner
{
    public async Task ConfigureAsync(IRealtimeConnection client, bool replay, CancellationToken ct)
    {
        await configurator.SendAsync(client, tools.Tools, ct).ConfigureAwait(false);
        transcript.TakeHeardTurns();
        if (replay)
        {
            var replayed = await conversation.ReplayAsync(client, ct).ConfigureAwait(false);
            await tools.ReplayRoundAsync(client, replayed, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Only now is the old connection's state of the conversation over: a renewal whose new connection failed before
    /// this goes on with the old one, whose cancelled answer is still awaited and whose user turn is still open.
    /// </summary>
    public void WentLive(ReplayedTurn replayed)
    {
        _transcriptsNotComing = turns.OnNewConnection();
        transcript.NewConnectionLive();
        conversation.NewConnectionLive(turnCommittedAgain: replayed.CommittedSamples > 0);
        tools.NewConnectionLive();
        mcp.NewConnectionLive();
        toldSpeech.NewConnection(replayed.ReplayedMs, committedAgain: replayed.CommittedSamples > 0);
        // The user's words went to it (their unanswered turn, or speech while there was no connection): it answers them,
        // and what the old connection was answering is not asked of it.
        var userSpoke = replayed.ReplayedMs > 0 || replayed.KeptLoudMs > 0;
        responses.NewConnection(userSpoke);
        continuation.NewConnection(userSpoke);
        if (configurator.ChangedSinceConfigured)
        {
            // Instructions or tools changed on the actor while this connection was being configured (a renewal's, beside a
            // live one): told now that it is the one the actor sends on, ahead of the events it sends.
            _ = inbox.PostAsync(ct => context.SendAsync(configurator.Missed(tools.Tools), ct), "configuration changed while connecting").AsTask();
        }
    }

    // The user turns whose transcription the replaced connection owed, told before the state (WentLive cannot emit).
    private IReadOnlyList<string> _transcriptsNotComing = [];

    public async ValueTask ConnectedAsync(string endpoint, CancellationToken ct)
    {
        var notComing = Interlocked.Exchange(ref _transcriptsNotComing, []);
        if (notComing.Count > 0)
        {
            // The service transcribes on the connection that committed the audio; an answered turn is not sent again.
            context.Logger.LogInformation("The words of {Count} user turn(s) will not come: the connection that owed their transcription ended first", notComing.Count);
        }
        foreach (var itemId in notComing)
        {
            await context.EmitAsync(new UserTranscriptPendingOutput(itemId, Pending: false), ct).ConfigureAwait(false);
        }
        await status.ChangeAsync(VoiceSessionState.Connected, endpoint, ct).ConfigureAwait(false);
    }

    public ValueTask DeliverAsync(int generation, RealtimeServerEvent serverEvent, CancellationToken ct) => actor.DeliverAsync(generation, serverEvent, ct);

    public ValueTask<bool> ConnectionLostAsync(ConnectionLoss loss, CancellationToken ct) =>
        inbox.PostEventAsync(new ActionWork(innerCt => OnLostAsync(loss, innerCt), null, "connection lost"), ct);

    public void RenewalDue() => _ = renewal.PostCheckAsync();

    /// <summary>
    /// On the actor, after the lost connection's last events: finish what was in flight, then end (fatal) or wait while
    /// the stage reconnects (it configures the new connection from this state meanwhile, so the actor must not run).
    /// </summary>
    private async ValueTask OnLostAsync(ConnectionLoss loss, CancellationToken ct)
    {
        try
        {
            if (inbox.IsStopped)
            {
                return; // already ended, e.g. by the fatal error the server sent before it closed
            }
            // An answer that came whole plays on (its words join the new connection once heard); one still coming plays
            // what of it came, cut short, and the new connection continues it.
            await bargeIn.ConnectionEndingAsync("the connection ended", ct).ConfigureAwait(false);
            // Time to first audio is measured per connection: a turn that ended on this one is not timed by an answer
            // on the next (that would count the reconnect as the model's latency).
            firstAudio.Cancel();
            if (loss.FatalError is { } fatal)
            {
                await status.FailAsync(fatal, ct).ConfigureAwait(false);
                return;
            }
            await status.ChangeAsync(VoiceSessionState.Reconnecting, loss.Reason, ct).ConfigureAwait(false);
        }
        finally
        {
            loss.Parked.TrySetResult();
        }
        if (await loss.Outcome.WaitAsync(ct).ConfigureAwait(false) is { } failure)
        {
            await status.FailAsync(failure, ct).ConfigureAwait(false);
            return;
        }
        await conversation.ResumeAsync(ct).ConfigureAwait(false);
    }
}
