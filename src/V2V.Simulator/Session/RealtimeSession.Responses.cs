using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>response.create / response.cancel, and ending a response.</summary>
internal sealed partial class RealtimeSession
{
    private async Task CreateResponseAsync(JsonElement root, string? eventId)
    {
        if (_active is { } active)
        {
            await SendErrorAsync(RealtimeError.Invalid(
                "conversation_already_has_active_response",
                $"Conversation already has an active response in progress: {active.Id}. Wait until the response is finished before creating a new one.",
                null,
                eventId)).ConfigureAwait(false);
            return;
        }

        await StartResponseAsync(ResponseRequest.Parse(root, Profile.IsGa)).ConfigureAwait(false);
    }

    private async Task CancelRequestedAsync(JsonElement root, string? eventId)
    {
        var wanted = root.TryGetProperty("response_id", out var id) ? id.GetString() : null;
        if (_active is not { } active || (wanted is not null && wanted != active.Id))
        {
            await SendErrorAsync(RealtimeError.Invalid("response_cancel_not_active", "Cancellation failed: no active response found.", null, eventId)).ConfigureAwait(false);
            return;
        }

        await FinishResponseAsync(active, "cancelled", "client_cancelled").ConfigureAwait(false);
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

        var response = new ActiveResponse(Token)
        {
            Plan = _agent.Plan(context, _config, modalities.Contains("audio"), request.Instructions),
            Context = context,
            Modalities = modalities,
            OutOfBand = request.OutOfBand,
            Metadata = request.Metadata,
        };
        _active = response;
        var delay = _responsesStarted++ == 0 ? _options.Faults.FirstResponseDelay ?? TimeSpan.Zero : TimeSpan.Zero;

        // The streamer runs beside the receive loop and takes the gate for each step.
        response.Streaming = Task.Run(() => StreamAsync(response, delay), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Ends a response (caller holds the gate): marks it finished so the streamer sends nothing more, then response.done.</summary>
    private async Task FinishResponseAsync(ActiveResponse response, string status, string? reason)
    {
        response.Finish();
        if (_active == response)
        {
            _active = null;
        }

        foreach (var item in response.Output.Where(i => i.Status == "in_progress"))
        {
            item.Status = "incomplete";
        }

        JsonObject? details = reason is null ? null : new JsonObject { ["type"] = status, ["reason"] = reason };
        var usage = Responses.Usage.Estimate(response.Context, response.Output);
        await SendAsync(new JsonObject
        {
            ["type"] = "response.done",
            ["response"] = ResponseJson.Build(response, _config, _conversation.Id, status, details, usage),
        }).ConfigureAwait(false);
    }
}
