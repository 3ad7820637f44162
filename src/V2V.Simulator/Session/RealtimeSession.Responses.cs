using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using V2V.Simulator.Responses;

namespace V2V.Simulator.Session;

/// <summary>response.create / response.cancel, and ending a response.</summary>
internal sealed partial class RealtimeSession
{
    private async Task CreateResponseAsync(JsonElement root, string? eventId)
    {
        if (_responses.RefuseCreate(eventId) is { } busy)
        {
            await SendErrorAsync(busy).ConfigureAwait(false);
            return;
        }

        var maxTokensName = Profile.IsGa ? "max_output_tokens" : "max_response_output_tokens";
        if (root.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty(maxTokensName, out var max)
            && MaxOutputTokens.Check(max, $"response.{maxTokensName}") is { } invalid)
        {
            await SendErrorAsync(invalid.ToError(eventId)).ConfigureAwait(false);
            return;
        }

        StartResponse(ResponseRequest.Parse(root, Profile.IsGa));
    }

    /// <summary>
    /// A cancel takes effect after the service's delay (<see cref="LocalRealtimeServerOptions.CancelDelay"/>): the
    /// response stays active meanwhile and its deltas keep coming, then it closes as a cancelled response does.
    /// </summary>
    private async Task CancelRequestedAsync(JsonElement root, string? eventId)
    {
        var wanted = root.TryGetProperty("response_id", out var id) ? id.GetString() : null;
        if (_responses.RequestCancel(wanted, eventId, out var accepted) is { } notActive)
        {
            await SendErrorAsync(notActive).ConfigureAwait(false);
            return;
        }

        if (accepted is not null)
        {
            Later(_responses.CancelDelay, async () =>
            {
                if (!accepted.Finished)
                {
                    await EndResponseAsync(accepted, ResponseOutcome.Cancelled("client_cancelled")).ConfigureAwait(false);
                }
            });
        }
    }

    private void StartResponse(ResponseRequest request)
    {
        var response = _responses.Begin(request, _turns.EndSample, Token);

        // The streamer runs beside the receive loop and takes the gate for each step.
        response.Streaming = Task.Run(() => StreamAsync(response), CancellationToken.None);
    }

    /// <summary>
    /// Takes the streamer's steps, each under the gate and only while the response is open: once a cancel, a
    /// barge-in or the session's end has finished it, nothing more of it is sent.
    /// </summary>
    private async Task StreamAsync(ActiveResponse r)
    {
        try
        {
            await foreach (var step in _streamer.StepsAsync(r).ConfigureAwait(false))
            {
                var taken = await StepAsync(r, () => step switch
                {
                    ResponseStep.Emit emit => SendAllAsync(emit.Apply()),
                    ResponseStep.End end => EndResponseAsync(r, end.Outcome),
                    _ => throw new UnreachableException(),
                }).ConfigureAwait(false);
                if (!taken)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            _logger.LogDebug("Response {Response} stopped: {Reason}", r.Id, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Response {Response} failed", r.Id);
        }
        finally
        {
            r.Dispose();
        }
    }

    private async Task<bool> StepAsync(ActiveResponse r, Func<Task> step)
    {
        await _gate.WaitAsync(Token).ConfigureAwait(false);
        try
        {
            if (r.Finished)
            {
                return false;
            }

            await step().ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Ends a response (caller holds the gate): the lifecycle marks it finished, so the streamer sends nothing more,
    /// and says what closes it; idle time then counts from when the listener will have heard all of it.
    /// </summary>
    private async Task EndResponseAsync(ActiveResponse response, ResponseOutcome outcome)
    {
        await SendAllAsync(_responses.End(response, outcome)).ConfigureAwait(false);
        _turns.ListenerHeardUntil(response.StartInputSample + response.AudioSamplesSent);
    }

    /// <summary>Runs <paramref name="action"/> under the gate after <paramref name="delay"/>, unless the session has ended by then.</summary>
    private void Later(TimeSpan delay, Func<Task> action)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await Pacer.WaitAsync(delay, TimeProvider.System, Token).ConfigureAwait(false);
                await UnderGateAsync(action).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
            {
                // The session ended first: nothing left to tell.
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Deferred work of session {Session} failed", _config.Id);
            }
        }, CancellationToken.None);
    }
}
