using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace V2V.Voice.Tools;

/// <summary>
/// One call of a tool (an <see cref="AIFunction"/>, whether .NET code or a TEN node is behind it), with a timeout;
/// whatever goes wrong (no such tool, invalid arguments, a timeout, an exception) becomes the function's output as
/// <c>{"error": ...}</c>, so the model hears why and the conversation goes on.
/// </summary>
internal static class ToolInvocation
{
    /// <summary>
    /// Runs <paramref name="function"/> (null: the model named a tool the session does not have) with the model's
    /// <paramref name="arguments"/>; only the session's end (<paramref name="lifetime"/>) cancels it without an output.
    /// </summary>
    public static async Task<string> RunAsync(AIFunction? function, string name, string arguments, TimeSpan timeout, ILogger logger, CancellationToken lifetime)
    {
        if (function is null)
        {
            return Error($"the tool '{name}' is not available");
        }
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(lifetime);
        guard.CancelAfter(timeout);
        try
        {
            // WaitAsync: a function that ignores its token still yields to the timeout.
            return await InvokeAsync(function, arguments, guard.Token).WaitAsync(guard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!lifetime.IsCancellationRequested)
        {
            logger.LogWarning("Tool {Tool} timed out after {Timeout}", name, timeout);
            return Error($"the tool '{name}' did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Tool {Tool} failed", name);
            return Error($"the tool '{name}' failed: {ex.Message}");
        }
    }

    /// <summary>
    /// Invokes the function with the model's arguments (a JSON object; each value handed over as JSON for the function
    /// to bind) and returns its result as the output: a string as it is, anything else as JSON. Invalid arguments
    /// throw, and so become an error output as any exception does.
    /// </summary>
    private static async Task<string> InvokeAsync(AIFunction function, string argumentsJson, CancellationToken ct)
    {
        var arguments = new AIFunctionArguments();
        if (!string.IsNullOrWhiteSpace(argumentsJson))
        {
            using var document = JsonDocument.Parse(argumentsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"the arguments must be a JSON object (got {document.RootElement.ValueKind})");
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }
        }
        var result = await function.InvokeAsync(arguments, ct).ConfigureAwait(false);
        return result switch
        {
            null => "",
            string text => text,
            JsonElement { ValueKind: JsonValueKind.String } text => text.GetString()!,
            JsonElement json => json.GetRawText(),
            _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions),
        };
    }

    private static string Error(string message) => new JsonObject { ["error"] = message }.ToJsonString();
}
