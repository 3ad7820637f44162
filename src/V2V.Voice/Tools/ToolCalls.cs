using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace V2V.Voice.Tools;

/// <summary>
/// A model's call of an <see cref="AIFunction"/> run as the voice session runs its own tools, for hosts that run tools
/// elsewhere (a browser page's tools written in .NET): the arguments from the model's JSON, the result as the output
/// the model reads, and whatever goes wrong (invalid arguments, an exception, the timeout) as an output naming the fault.
/// </summary>
public static class ToolCalls
{
    /// <summary>Runs <paramref name="function"/> (null: no tool of that name) with the model's <paramref name="argumentsJson"/>; the output for the model.</summary>
    public static Task<string> RunAsync(AIFunction? function, string name, string argumentsJson, TimeSpan timeout, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return ToolInvocation.RunAsync(function, name, argumentsJson ?? "", timeout, logger ?? NullLogger.Instance, cancellationToken);
    }
}
