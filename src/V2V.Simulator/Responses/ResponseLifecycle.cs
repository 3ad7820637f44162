using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>
/// The responses of one session, ruled as the service rules them: at most one active (a <c>response.create</c>
/// meanwhile is refused, while a cancel is pending too); which responses fail
/// (<see cref="LocalRealtimeServerFaults.FailResponsesWith"/> after <see cref="LocalRealtimeServerFaults.FailResponsesAfter"/>
/// good ones); a cancel accepted once, then pending for <see cref="CancelDelay"/>; and what ending a response
/// sends, in order: its open item closed as <c>incomplete</c>, <c>response.done</c> with its status and usage,
/// then (GA) <c>rate_limits.updated</c>. It sends and waits for nothing: the session does what it decides.
/// </summary>
internal sealed class ResponseLifecycle(SessionConfig config, Conversation conversation, OutputItemEvents items, EchoAgent agent, LocalRealtimeServerOptions options, Mcp.McpServers mcp)
{
    // Fixed when the connection opens: which connections are delayed is counted across the server.
    private readonly bool _firstDelayed = options.Faults.NextConnectionDelayed();

    private int _started;
    private bool _spokeBefore;

    /// <summary>The response in progress, until it is ended (null between responses).</summary>
    public ActiveResponse? Active { get; private set; }

    /// <summary>Whether the model has spoken in this session: a voice can no longer change after it has.</summary>
    public bool AssistantHasSpoken => _spokeBefore || Active is { AudioSamplesSent: > 0 };

    /// <summary>How long an accepted cancel takes to end the response, on the server's clock; its deltas go on meanwhile.</summary>
    public TimeSpan CancelDelay => Pacer.Scale(options.CancelDelay, options.SpeedFactor);

    /// <summary>The error a <c>response.create</c> gets while a response is active (a pending cancel included), else null.</summary>
    public RealtimeError? RefuseCreate(string? eventId) => Active is { } active
        ? RealtimeError.Invalid(
            "conversation_already_has_active_response",
            $"Conversation already has an active response in progress: {active.Id}. Wait until the response is finished before creating a new one.",
            null,
            eventId)
        : null;

    /// <summary>
    /// Begins a response to <paramref name="request"/>: what it answers (the conversation, or the request's own
    /// input), the agent's plan (long answers split into several items), whether it fails, and how long it waits
    /// before it starts. It is the active response from now on.
    /// </summary>
    public ActiveResponse Begin(ResponseRequest request, long startInputSample, CancellationToken session)
    {
        var modalities = request.Modalities ?? config.OutputModalities;
        IReadOnlyList<ConversationItem> context = conversation.Items.ToList();
        if (request.InputTexts is { } texts)
        {
            // The request's own input replaces the conversation as the context; an empty one leaves none.
            var input = new ConversationItem { Type = "message", Role = "user" };
            input.Content.Add(new ContentPart { Kind = ContentKind.InputText, Text = string.Join(' ', texts) });
            context = texts.Count > 0 ? [input] : [];
        }

        var plan = agent.Plan(context, config, modalities.Contains("audio"), request.Instructions, mcp.Offered());
        var faults = options.Faults;
        Active = new ActiveResponse(session)
        {
            Plan = AnswerSplitter.Split(plan, options.SplitAnswersLongerThanMs),
            Context = context,
            Modalities = modalities,
            OutOfBand = request.OutOfBand,
            Metadata = request.Metadata,
            FailWith = faults.FailResponsesWith is { } code && _started >= faults.FailResponsesAfter ? code : null,
            StartDelay = _started == 0 && _firstDelayed ? faults.FirstResponseDelay ?? TimeSpan.Zero : TimeSpan.Zero,
            AudioDelay = _started == 0 && _firstDelayed ? faults.FirstAudioDelay ?? TimeSpan.Zero : TimeSpan.Zero,
            StartInputSample = startInputSample,
        };
        _started++;
        return Active;
    }

    /// <summary>
    /// <c>response.cancel</c> (of <paramref name="responseId"/>, or of whatever is active): the error when nothing
    /// (or another response) is active; else null, with <paramref name="accepted"/> the response the session must
    /// end after <see cref="CancelDelay"/>, or null when a cancel of it is already pending.
    /// </summary>
    public RealtimeError? RequestCancel(string? responseId, string? eventId, out ActiveResponse? accepted)
    {
        accepted = null;
        if (Active is not { } active || (responseId is not null && responseId != active.Id))
        {
            return RealtimeError.Invalid("response_cancel_not_active", "Cancellation failed: no active response found.", null, eventId);
        }

        if (!active.CancelPending)
        {
            active.CancelPending = true;
            accepted = active;
        }

        return null;
    }

    /// <summary>
    /// Ends a response: nothing more of it may be sent, and these events, in order, close it: the open item's
    /// (status <c>incomplete</c>), <c>response.done</c>, then (GA) <c>rate_limits.updated</c>.
    /// </summary>
    public IReadOnlyList<JsonObject> End(ActiveResponse response, ResponseOutcome outcome)
    {
        response.Finish();
        if (Active == response)
        {
            Active = null;
        }

        _spokeBefore |= response.AudioSamplesSent > 0;
        var events = items.CloseOpen(response, "incomplete");
        var usage = Usage.Estimate(response.Context, response.Output);
        events.Add(new JsonObject
        {
            ["type"] = "response.done",
            ["response"] = ResponseJson.Build(response, config, conversation.Id, outcome.Status, outcome.Details, usage),
        });
        if (config.Profile.IsGa)
        {
            events.Add(RateLimits.Event());
        }

        return events;
    }
}
