using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;
using V2V.Simulator.Turns;

namespace V2V.Simulator.Responses;

/// <summary>
/// Runs the session's responses on the connection, as the lifecycle decides and the streamer plans them: each
/// response streams beside the receive loop, every step taken under the session's gate while the response is open;
/// a cancel takes effect after the service's delay; whatever ends a response sends the lifecycle's closing events,
/// and idle time then counts from when the listener will have heard it.
/// </summary>
internal sealed class ResponseRunner(
    ResponseLifecycle lifecycle,
    ResponseStreamer streamer,
    TurnDetector turns,
    SessionGate gate,
    EventSink sink,
    DialectProfile profile,
    ILogger logger,
    CancellationToken session)
{
    public ActiveResponse? Active => lifecycle.Active;

    public bool AssistantHasSpoken => lifecycle.AssistantHasSpoken;

    public Task CreateAsync(JsonElement root, string? eventId)
    {
        if ((lifecycle.RefuseCreate(eventId) ?? ResponseRequest.Check(root, profile.IsGa)?.ToError(eventId)) is { } refused)
        {
            return sink.SendErrorAsync(refused);
        }

        return StartAsync(ResponseRequest.Parse(root, profile.IsGa));
    }

    /// <summary>
    /// A cancel takes effect after the service's delay (<see cref="LocalRealtimeServerOptions.CancelDelay"/>): the
    /// response stays active meanwhile and its deltas keep coming, then it closes as a cancelled response does.
    /// </summary>
    public Task CancelAsync(JsonElement root, string? eventId)
    {
        var wanted = root.TryGetProperty("response_id", out var id) ? id.GetString() : null;
        if (lifecycle.RequestCancel(wanted, eventId, out var accepted) is { } notActive)
        {
            return sink.SendErrorAsync(notActive);
        }

        if (accepted is not null)
        {
            gate.RunLater(lifecycle.CancelDelay, () => accepted.Finished ? Task.CompletedTask : EndAsync(accepted, ResponseOutcome.Cancelled("client_cancelled")));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Begins a response (the caller holds the gate); its stream runs beside the receive loop. The service says
    /// <c>response.created</c> as it reads the create (or ends the user's turn), before any later client event: a
    /// commit read after the create is acknowledged after it, and is not in what the response answers. Only a response
    /// held back by a fault (<see cref="ActiveResponse.StartDelay"/>) says it later, from its stream.
    /// </summary>
    public async Task StartAsync(ResponseRequest request)
    {
        var response = lifecycle.Begin(request, turns.EndSample, session);
        if (response.StartDelay <= TimeSpan.Zero)
        {
            response.CreatedSent = true;
            await sink.SendAllAsync(streamer.Created(response)).ConfigureAwait(false);
        }
        response.Streaming = Task.Run(() => StreamAsync(response), CancellationToken.None);
    }

    /// <summary>Ends a response (the caller holds the gate): nothing more of it is sent after these events.</summary>
    public async Task EndAsync(ActiveResponse response, ResponseOutcome outcome)
    {
        await sink.SendAllAsync(lifecycle.End(response, outcome)).ConfigureAwait(false);
        turns.ListenerHeardUntil(response.StartInputSample + response.AudioSamplesSent);
    }

    private async Task StreamAsync(ActiveResponse r)
    {
        try
        {
            await foreach (var step in streamer.StepsAsync(r).ConfigureAwait(false))
            {
                var taken = await gate.RunWhileOpenAsync(r, () => step switch
                {
                    ResponseStep.Emit emit => sink.SendAllAsync(emit.Apply()),
                    ResponseStep.End end => EndAsync(r, end.Outcome),
                    _ => throw new UnreachableException(),
                }).ConfigureAwait(false);
                if (!taken)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            logger.LogDebug("Response {Response} stopped: {Reason}", r.Id, e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Response {Response} failed", r.Id);
        }
        finally
        {
            r.Dispose();
        }
    }
}
