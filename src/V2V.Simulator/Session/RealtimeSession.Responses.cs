using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;
using V2V.Simulator.Responses;

namespace V2V.Simulator.Session;

/// <summary>response.create / response.cancel, and ending a response.</summary>
internal sealed partial class RealtimeSession
{
    private int _responsesFinished;

    private async Task CreateResponseAsync(JsonElement root, string? eventId)
    {
        if (_active is { } active)
        {
            // Also while a cancel is pending: the response is active until its response.done.
            await SendErrorAsync(RealtimeError.Invalid(
                "conversation_already_has_active_response",
                $"Conversation already has an active response in progress: {active.Id}. Wait until the response is finished before creating a new one.",
                null,
                eventId)).ConfigureAwait(false);
            return;
        }

        var maxTokensName = Profile.IsGa ? "max_output_tokens" : "max_response_output_tokens";
        if (root.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty(maxTokensName, out var max)
            && MaxOutputTokens.Check(max, $"response.{maxTokensName}") is { } invalid)
        {
            await SendErrorAsync(invalid.ToError(eventId)).ConfigureAwait(false);
            return;
        }

        await StartResponseAsync(ResponseRequest.Parse(root, Profile.IsGa)).ConfigureAwait(false);
    }

    /// <summary>
    /// A cancel takes effect after the service's delay (<see cref="LocalRealtimeServerOptions.CancelDelay"/>): the
    /// response stays active meanwhile and its deltas keep coming, then it closes as a cancelled response does.
    /// </summary>
    private async Task CancelRequestedAsync(JsonElement root, string? eventId)
    {
        var wanted = root.TryGetProperty("response_id", out var id) ? id.GetString() : null;
        if (_active is not { } active || (wanted is not null && wanted != active.Id))
        {
            await SendErrorAsync(RealtimeError.Invalid("response_cancel_not_active", "Cancellation failed: no active response found.", null, eventId)).ConfigureAwait(false);
            return;
        }

        if (active.CancelPending)
        {
            return;
        }

        active.CancelPending = true;
        Later(Pacer.Scale(_options.CancelDelay, _options.SpeedFactor), async () =>
        {
            if (!active.Finished)
            {
                await FinishResponseAsync(active, "cancelled", Cancelled("client_cancelled")).ConfigureAwait(false);
            }
        });
    }

    private Task StartResponseAsync(ResponseRequest request)
    {
        var modalities = request.Modalities ?? _config.OutputModalities;
        IReadOnlyList<ConversationItem> context = _conversation.Items.ToList();
        if (request.InputTexts.Count > 0)
        {
            var input = new ConversationItem { Type = "message", Role = "user" };
            input.Content.Add(new ContentPart { Kind = ContentKind.InputText, Text = string.Join(' ', request.InputTexts) });
            context = [input];
        }

        var plan = _agent.Plan(context, _config, modalities.Contains("audio"), request.Instructions);
        var faults = _options.Faults;
        var response = new ActiveResponse(Token)
        {
            Plan = AnswerSplitter.Split(plan, _options.SplitAnswersLongerThanMs),
            Context = context,
            Modalities = modalities,
            OutOfBand = request.OutOfBand,
            Metadata = request.Metadata,
            FailWith = faults.FailResponsesWith is { } code && _responsesStarted >= faults.FailResponsesAfter ? code : null,
            StartInputSample = _turns.EndSample,
        };
        _active = response;
        var delay = _responsesStarted++ == 0 ? faults.FirstResponseDelay ?? TimeSpan.Zero : TimeSpan.Zero;

        // The streamer runs beside the receive loop and takes the gate for each step.
        response.Streaming = Task.Run(() => StreamAsync(response, delay), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Ends a response (caller holds the gate): marks it finished so the streamer sends nothing more, closes the item
    /// it was streaming (its part's done events, <c>output_item.done</c> with status <c>incomplete</c>), then
    /// <c>response.done</c>, then (GA) <c>rate_limits.updated</c>.
    /// </summary>
    private async Task FinishResponseAsync(ActiveResponse response, string status, JsonObject? details)
    {
        response.Finish();
        if (_active == response)
        {
            _active = null;
        }

        await EndItemAsync(response, "incomplete").ConfigureAwait(false);
        var usage = Responses.Usage.Estimate(response.Context, response.Output);
        await SendAsync(new JsonObject
        {
            ["type"] = "response.done",
            ["response"] = ResponseJson.Build(response, _config, _conversation.Id, status, details, usage),
        }).ConfigureAwait(false);
        if (Profile.IsGa)
        {
            await SendAsync(RateLimits.Event()).ConfigureAwait(false);
        }

        _responsesFinished++;
        OnResponseFinished(response);
    }

    private static JsonObject Cancelled(string reason) => new() { ["type"] = "cancelled", ["reason"] = reason };

    /// <summary>Runs <paramref name="action"/> under the gate after <paramref name="delay"/>, unless the session has ended by then.</summary>
    private void Later(TimeSpan delay, Func<Task> action)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await Pacer.WaitAsync(delay, Token).ConfigureAwait(false);
                await UnderGateAsync(action).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
            {
                // The session ended first: nothing left to tell.
            }
            catch (Exception e)
            {
                Microsoft.Extensions.Logging.LoggerExtensions.LogError(_logger, e, "Deferred work of session {Session} failed", _config.Id);
            }
        }, CancellationToken.None);
    }
}
