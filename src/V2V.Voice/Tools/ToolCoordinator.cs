using AIFunction = Microsoft.Extensions.AI.AIFunction;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Voice.Actor;
using V2V.Voice.Conversation;
using V2V.Voice.Session;
using V2V.Voice.Turns;

namespace V2V.Voice.Tools;

/// <summary>
/// The session's tools and the calls the model makes to them: each call runs off the actor (a slow tool must not
/// stall the voice) and its output comes back as control-lane work; once every call of the turn is answered and the
/// response that made them is done, the model is asked to go on. Every tool is an <see cref="AIFunction"/>: those of
/// the options and those registered later (a TEN node's <c>tool_register</c> becomes one in the extension). Owns the
/// tool list and the calls out.
/// </summary>
internal sealed class ToolCoordinator(
    SessionContext context,
    ConversationHistory history,
    TurnTracker turns,
    ResponseCoordinator responses,
    SessionInbox inbox)
{
    // In the order the model is told of them; a tool registered later under a name replaces the one before. A new array
    // each time (on the actor): a new connection's configuration reads it from the connection stage meanwhile.
    private volatile AIFunction[] _tools = [.. context.Options.Tools];
    private readonly Dictionary<string, string> _callNames = new(StringComparer.Ordinal);

    // The calls of the last round and their outputs once in, in the order they came: a new connection holds only what
    // this side creates on it, and the service refuses an output for a call it does not hold. Kept after its answer is
    // asked for, while that answer may still be owed (lost with its connection before a word of it was heard: asked
    // again, it needs them).
    private readonly List<RealtimeConversationItem> _round = [];
    private bool _roundAnswerAsked;
    private int _callsOut;
    private int _outputsAwaitingAnswer;

    // An output was sent while a create of ours was on its way: the service reads that create first, so the response
    // it makes does not have the output, and the round is still to be answered after it.
    private bool _outputAfterPendingCreate;

    /// <summary>The tools, for the session's configuration.</summary>
    public IReadOnlyList<AIFunction> Tools => _tools;

    /// <summary>A call is running; its output has not come back.</summary>
    public bool HasCallsOut => _callsOut > 0;

    /// <summary>On the actor: adds (or replaces, by name) a tool; the live session gets the new list.</summary>
    public ValueTask AddAsync(AIFunction tool, Configuration.SessionConfigurator configurator, CancellationToken ct)
    {
        _tools = [.. _tools.Where(t => t.Name != tool.Name), tool];
        return context.SendAsync(configurator.Change(_tools, instructionsChanged: false), ct);
    }

    /// <summary>A function call item was announced: its name, as its arguments' done event may not carry it.</summary>
    public void OnCallAnnounced(string callId, string? name) => _callNames[callId] = name ?? "";

    /// <summary>The call's arguments are complete: the tool runs, with a timeout.</summary>
    public void Start(string callId, string? name, string arguments)
    {
        name ??= _callNames.GetValueOrDefault(callId, "");
        history.AddFunctionCall(callId, name, arguments);
        if (_roundAnswerAsked)
        {
            _round.Clear(); // a new round
            _roundAnswerAsked = false;
        }
        _round.Add(RealtimeConversationItem.FunctionCall(callId, name, arguments));
        _callNames.Remove(callId);
        _callsOut++;
        // Taken now, on the actor: a registration meanwhile does not change the tool this call runs.
        var function = Array.Find(_tools, t => t.Name == name);
        _ = Task.Run(async () =>
        {
            var output = await ToolInvocation.RunAsync(function, name, arguments, context.Options.ToolTimeout, context.Logger, context.Lifetime).ConfigureAwait(false);
            await inbox.PostAsync(ct => SubmitAsync(callId, output, ct), $"tool {name} answered").ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Once every call is answered and no response runs (a response.create meanwhile would be refused), the model is
    /// asked to go on from the outputs; called again at each response.done. Not while the user is speaking (the service
    /// heard their turn begin and has not answered it): asked then, the answer would talk over the user and still be
    /// running when their turn ends, so that the service would not answer it; the service's answer to that turn has the
    /// outputs in its context instead (<see cref="OnResponseCreated"/>).
    /// </summary>
    public async ValueTask AnswerIfReadyAsync(CancellationToken ct)
    {
        // A create of ours on its way was sent after the outputs (else see OnResponseCreated): its answer is the round's.
        if (RoundReady && turns.ActiveResponseId is null && !turns.ResponseRequested && !turns.UserTurnOpen)
        {
            RoundAnswered();
            await responses.RequestAsync(null, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A response was created: with every call answered and their outputs in the conversation, it answers the round too
    /// (the service's answer to a user's turn that began while the tools ran), so none is asked for it afterwards.
    /// </summary>
    /// <param name="answers">False for a response cancelled as it came (the user moved on): it answers nothing.</param>
    public void OnResponseCreated(bool answers = true)
    {
        var outputCameLater = _outputAfterPendingCreate;
        _outputAfterPendingCreate = false;
        if (answers && RoundReady && !outputCameLater)
        {
            RoundAnswered();
        }
    }

    /// <summary>A new connection went live: no create of the old one is on its way (the outputs are in the history it was sent).</summary>
    public void NewConnectionLive() => _outputAfterPendingCreate = false;

    /// <summary>Every call of the round is answered, and its outputs have not been answered yet.</summary>
    private bool RoundReady => _outputsAwaitingAnswer > 0 && _callsOut == 0;

    private void RoundAnswered()
    {
        _outputsAwaitingAnswer = 0;
        _roundAnswerAsked = true;
    }

    /// <summary>
    /// On a new connection, after the history replayed (<paramref name="replayed"/>): the round's calls and outputs the
    /// history did not carry (history off, or bounded), so that the outputs still to come are taken and the model can
    /// answer the round; once its answer was asked for, only while an answer is owed (lost before a word was heard).
    /// Before the connection goes live.
    /// </summary>
    public async Task ReplayRoundAsync(IRealtimeConnection client, IReadOnlyList<RealtimeConversationItem> replayed, CancellationToken ct)
    {
        if (_roundAnswerAsked && !responses.OwesAnAnswer)
        {
            _round.Clear(); // answered and heard, or the user moved on: the model need not see it again
            _roundAnswerAsked = false;
            return;
        }
        // Each call before its output, as they came.
        foreach (var item in _round.Where(r => !replayed.Any(i => i.Type == r.Type && i.CallId == r.CallId)))
        {
            await client.SendAsync(new ConversationItemCreateEvent { Item = item }, ct).ConfigureAwait(false);
        }
    }

    private async ValueTask SubmitAsync(string callId, string output, CancellationToken ct)
    {
        _callsOut--;
        history.AddFunctionOutput(callId, output);
        var item = RealtimeConversationItem.FunctionCallOutput(callId, output);
        if (_round.Exists(r => r.CallId == callId))
        {
            _round.Add(item);
        }
        await context.SendAsync(new ConversationItemCreateEvent { Item = item }, ct).ConfigureAwait(false);
        _outputAfterPendingCreate |= turns.ResponseRequested;
        responses.ConversationGrew();
        _outputsAwaitingAnswer++;
        await AnswerIfReadyAsync(ct).ConfigureAwait(false);
    }
}
