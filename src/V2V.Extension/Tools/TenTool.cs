using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using V2V.Ten;
using V2V.Voice.Tools;

namespace V2V.Extension.Tools;

/// <summary>
/// A tool a TEN node registered (<c>tool_register</c>), as the <see cref="AIFunction"/> the voice session runs for
/// every tool: its schema is the one the registration describes, and invoking it sends the cmd <c>tool_call</c> to
/// the graph (<see cref="TenToolCall"/>) and returns the tool's answer. The session's timeout and error handling are
/// those of any function, so a node that fails or never answers gives the model an output naming the fault.
/// </summary>
internal sealed class TenTool(ITenEnv env, string name, string description, JsonElement parameters) : AIFunction
{
    /// <inheritdoc />
    public override string Name => name;

    /// <inheritdoc />
    public override string Description => description;

    /// <inheritdoc />
    public override JsonElement JsonSchema => parameters;

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        await TenToolCall.CallAsync(env, name, ModelArguments.ToJsonObject(arguments), cancellationToken).ConfigureAwait(false);
}
