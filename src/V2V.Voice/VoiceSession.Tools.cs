using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Voice.Tools;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    private readonly Dictionary<string, string> _callNames = new(StringComparer.Ordinal);
    private int _pendingToolCalls;
    private int _toolOutputsAwaitingAnswer;

    private async ValueTask AddToolAsync(VoiceTool tool, CancellationToken ct)
    {
        _tools.RemoveAll(t => t.Name == tool.Name);
        _tools.Add(tool);
        // Only the tools change; the rest of the session stays as it is.
        await SendAsync(new SessionUpdateEvent
        {
            Session = new RealtimeSession
            {
                Tools = [.. _tools.Select(t => new RealtimeTool { Name = t.Name, Description = t.Description, Parameters = t.Parameters })],
                ToolChoice = JsonDocument.Parse("\"auto\"").RootElement,
            },
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Runs a tool call off the actor (a slow tool must not stall the voice), with a timeout; its output comes back as an action.</summary>
    private void StartToolCall(string callId, string name, string arguments)
    {
        _history.AddFunctionCall(callId, name, arguments);
        _callNames.Remove(callId);
        _pendingToolCalls++;
        var call = new ToolCall(callId, name, arguments);
        _ = Task.Run(async () =>
        {
            var output = await InvokeToolAsync(call).ConfigureAwait(false);
            await PostAsync(ct => SubmitToolOutputAsync(callId, output, ct), $"tool {name} answered").ConfigureAwait(false);
        });
    }

    private async Task<string> InvokeToolAsync(ToolCall call)
    {
        if (_toolInvoker is null || !_tools.Any(t => t.Name == call.Name))
        {
            return ErrorOutput($"the tool '{call.Name}' is not available");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        timeout.CancelAfter(_options.ToolTimeout);
        try
        {
            return await _toolInvoker(call, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
        {
            _logger.LogWarning("Tool {Tool} timed out after {Timeout}", call.Name, _options.ToolTimeout);
            return ErrorOutput($"the tool '{call.Name}' did not answer within {_options.ToolTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Tool {Tool} failed", call.Name);
            return ErrorOutput($"the tool '{call.Name}' failed: {ex.Message}");
        }
    }

    private static string ErrorOutput(string message) => new JsonObject { ["error"] = message }.ToJsonString();

    /// <summary>The output goes to the conversation; once every call of the turn is answered, the model is asked to go on.</summary>
    private async ValueTask SubmitToolOutputAsync(string callId, string output, CancellationToken ct)
    {
        _pendingToolCalls--;
        _history.AddFunctionOutput(callId, output);
        await SendAsync(new ConversationItemCreateEvent { Item = RealtimeConversationItem.FunctionCallOutput(callId, output) }, ct).ConfigureAwait(false);
        _toolOutputsAwaitingAnswer++;
        await AnswerToolOutputsIfReadyAsync(ct).ConfigureAwait(false);
    }

    // response.create while a response is still running is refused by the server; it waits for response.done.
    private async ValueTask AnswerToolOutputsIfReadyAsync(CancellationToken ct)
    {
        if (_toolOutputsAwaitingAnswer > 0 && _pendingToolCalls == 0 && _turns.ActiveResponseId is null)
        {
            _toolOutputsAwaitingAnswer = 0;
            await RequestResponseAsync(null, ct).ConfigureAwait(false);
        }
    }
}
