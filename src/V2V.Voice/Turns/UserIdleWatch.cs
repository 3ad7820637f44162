using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol.Models;
using V2V.Voice.Actor;
using V2V.Voice.Conversation;
using V2V.Voice.Outputs;
using V2V.Voice.Session;

namespace V2V.Voice.Turns;

/// <summary>
/// <see cref="VoiceSessionOptions.IdleTimeout"/> where the service does not keep it (its <c>idle_timeout_ms</c> is
/// server VAD's, GA's): semantic VAD, the local VAD, push-to-talk, the beta protocol. Armed when an answer is done, for
/// the timeout after the answer has played; anything of the user's (speech heard, a text, a press, a turn ended) or a
/// new answer disarms it. When it fires, the reader is told (<see cref="UserIdleOutput"/>, with no item: no turn was
/// committed) and the model is asked to prompt the user, as the service does for server VAD; that prompt is an answer,
/// so the watch is armed again after it (a host counts the prompts to hang up). Its one state: which arming is current.
/// </summary>
internal sealed class UserIdleWatch(
    SessionContext context,
    SessionInbox inbox,
    AgentVoice voice,
    TurnTracker turns,
    ResponseCoordinator responses,
    Func<double> inputMs,
    Func<bool> toolsRunning,
    Func<string?>? sessionInstructions = null)
{
    /// <summary>What the model is asked to say (the service's own prompt for server VAD is the model's too).</summary>
    public const string PromptInstructions =
        "The user has said nothing for a while. In one short sentence, in the language of the conversation, check whether they are still there and invite them to go on.";

    private long _arming;

    /// <summary>Whether the session keeps the timeout itself (set, and not the service's).</summary>
    public bool Watches => context.Options.IdleTimeout is not null && !context.Options.IdleTimeoutIsTheServices;

    /// <summary>An answer is done: the user's silence counts from the end of its playout.</summary>
    public void AnswerDone()
    {
        if (Watches)
        {
            Arm(inputMs() + voice.QueuedDuration.TotalMilliseconds);
        }
    }

    /// <summary>The user did something (spoke, typed, pressed, left) or an answer began: the silence, if any, is over.</summary>
    public void Disarm() => _arming++;

    private void Arm(double silentFromMs)
    {
        var arming = ++_arming;
        var wait = context.Options.IdleTimeout!.Value + voice.QueuedDuration;
        inbox.PostAfter(wait, context.Options.TimeProvider, ct => FireAsync(arming, silentFromMs, ct), "the user's silence");
    }

    private async ValueTask FireAsync(long arming, double silentFromMs, CancellationToken ct)
    {
        if (arming != _arming || turns.ActiveResponseId is not null || turns.ResponseRequested || toolsRunning())
        {
            return; // the user or an answer came first, or tools still run for one (an answer arms it again when done)
        }
        if (voice.QueuedDuration > TimeSpan.Zero)
        {
            Arm(silentFromMs); // the reader plays slower than real time: the silence begins after what still waits
            return;
        }
        var timeoutMs = context.Options.IdleTimeout!.Value.TotalMilliseconds;
        context.Logger.LogInformation("The user said nothing for the idle timeout ({Timeout} ms): the model prompts them", timeoutMs);
        await context.EmitAsync(new UserIdleOutput(null, silentFromMs, silentFromMs + timeoutMs), ct).ConfigureAwait(false);
        var instructions = ResponseInstructions.AfterSession(sessionInstructions?.Invoke(), PromptInstructions);
        await responses.RequestAsync(new RealtimeResponseCreateParams { Instructions = instructions }, ct).ConfigureAwait(false);
    }
}
