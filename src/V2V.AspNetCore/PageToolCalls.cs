using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace V2V.AspNetCore;

/// <summary>
/// The calls of a session's page tools that wait for the page's <c>tool_result</c>, by call id. At most
/// <see cref="MaxPending"/> at once: one more fails at once (the model hears why) rather than queue without end. A call
/// whose caller gave up (the session's tool timeout, its end) is forgotten, and a late result for it is refused.
/// </summary>
internal sealed class PageToolCalls(Func<byte[], ValueTask> send)
{
    public const int MaxPending = 16;

    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _pending = new(StringComparer.Ordinal);
    private int _waiting; // counted apart from the dictionary: calls come on several threads at once, and the bound holds exactly

    /// <summary>Asks the page to run <paramref name="name"/>; its output, or its error thrown (the session makes it the model's output).</summary>
    public async Task<string> CallAsync(string name, JsonObject arguments, CancellationToken ct)
    {
        if (Interlocked.Increment(ref _waiting) > MaxPending)
        {
            Interlocked.Decrement(ref _waiting);
            throw new InvalidOperationException($"the page runs {MaxPending} tool calls already; try again when one has answered");
        }
        var callId = "page_call_" + Guid.NewGuid().ToString("N")[..16];
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[callId] = answer;
        try
        {
            await send(PageEvents.ToolCall(callId, name, arguments)).ConfigureAwait(false);
            return await answer.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(callId, out _);
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>The page's answer to a call; false when no call waits with that id (it timed out, or never was).</summary>
    public bool Answer(string callId, string? output, string? error)
    {
        if (!_pending.TryRemove(callId, out var answer))
        {
            return false;
        }
        return error is null
            ? answer.TrySetResult(output ?? "")
            : answer.TrySetException(new PageToolException(error));
    }
}

/// <summary>The page's tool said it failed: the message is the page's.</summary>
internal sealed class PageToolException(string message) : Exception(message);
