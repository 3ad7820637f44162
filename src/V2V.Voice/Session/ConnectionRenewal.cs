using Microsoft.Extensions.Logging;
using V2V.Voice.Actor;
using V2V.Voice.Conversation;
using V2V.Voice.Tools;
using V2V.Voice.Turns;

namespace V2V.Voice.Session;

/// <summary>
/// The session's side of renewing the connection before the service ends its session: the connection stage's timer
/// asks for a look on the control lane; on the actor (a consistent view), the plan is asked whether now is the time:
/// at a quiet moment, forced once no answer is coming, or, close to the end, forced mid-answer. A forced renewal that
/// cut an answer before a word of it was heard, and then could not connect, asks the old connection for that answer
/// again; one it cut short is truncated there where the audio that came ends. Holds no state of its own.
/// </summary>
internal sealed class ConnectionRenewal(
    SessionContext context,
    ServerLink link,
    SessionInbox inbox,
    TurnTracker turns,
    ToolCoordinator tools,
    BargeIn bargeIn,
    ConversationFlow conversation,
    ResponseCoordinator responses,
    AnswerProgress answers)
{
    /// <summary>The renewal timer's call: a look at the plan, on the control lane; nobody to ask once the session stops.</summary>
    public async Task PostCheckAsync()
    {
        try
        {
            await inbox.PostAsync(RenewIfDueAsync, "renewal check").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async ValueTask RenewIfDueAsync(string reason, CancellationToken ct)
    {
        // Quiet: no answer asked for or in progress (one that came whole may still be playing: it plays on), no tool call
        // out, and no user turn the service has heard begin but not answered (its audio is in this connection's buffer:
        // renewing now would lose it), nor one whose transcription is still to come (it comes on this connection only).
        var answerComing = !bargeIn.NothingMoreToCome;
        var quiet = !answerComing && !turns.ResponseRequested && !tools.HasCallsOut && !turns.UserTurnOpen && !turns.UserTranscriptPending;
        var decision = link.Connection.CheckRenewal(quiet, answerComing);
        if (!decision.Renew)
        {
            return;
        }
        // Forced with the user's turn open: the new connection is sent that turn's audio again before live audio
        // (OpenTurnAudio), so it hears the whole question and answers it; an answer already begun is not asked twice.
        // Forced with an answer still coming (only close to the end: the plan waits for it to come whole first), what of
        // it came plays on and the new connection continues it (see BargeIn.ConnectionEndingAsync).
        context.Logger.LogInformation("Renewing the realtime connection before the service ends its session ({How})",
            !decision.Forced ? "at a quiet moment" : answerComing ? "forced: no quiet moment came, an answer still coming is cut short" : "forced: no quiet moment came");
        var unheard = await bargeIn.ConnectionEndingAsync("the connection is being renewed", ct).ConfigureAwait(false);
        if (await link.Connection.RenewAsync(ct).ConfigureAwait(false))
        {
            await conversation.ResumeAsync(ct).ConfigureAwait(false);
            return;
        }
        await bargeIn.ConnectionKeptAsync(ct).ConfigureAwait(false);
        if (unheard is null)
        {
            responses.KeptTheOldConnection(); // nothing was cut before a word of it was heard: what was asked of it, it still answers
            return;
        }
        // The new connection would have answered the question again (its turn is sent to it, or the answer this side
        // asked for is asked there); the old one goes on, and still holds the question: it is asked, once its cancelled
        // answer is done (no refusal for an active response), with what was asked the first time when this side asked.
        context.Logger.LogInformation("The renewal failed after cutting an answer before a word of it was heard: it is asked for again on the old connection");
        answers.AskedAgain();
        if (responses.Owes(unheard))
        {
            await responses.AskAgainIfOwedAsync(ct).ConfigureAwait(false);
        }
        else
        {
            responses.KeptTheOldConnection();
            await responses.RequestAsync(null, ct).ConfigureAwait(false);
        }
    }
}
