using System.Text.Json;
using Microsoft.Extensions.AI;
using V2V.Voice.Tools;

namespace V2V.AspNetCore;

/// <summary>
/// A tool the page gave in its <c>start</c> (it runs in the browser: show a product, fill a form), as the
/// <see cref="AIFunction"/> the voice session runs for every tool: a call goes to the page as <c>tool_call</c> and the
/// page's <c>tool_result</c> is the output. The session's <c>ToolTimeout</c> and error handling are those of any
/// function, so a page that fails, or never answers, gives the model an output naming the fault.
/// </summary>
internal sealed class PageTool(PageCommand.ToolSpec spec, PageToolCalls calls) : AIFunction
{
    /// <inheritdoc />
    public override string Name => spec.Name;

    /// <inheritdoc />
    public override string Description => spec.Description;

    /// <inheritdoc />
    public override JsonElement JsonSchema => spec.Parameters;

    /// <inheritdoc />
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        await calls.CallAsync(spec.Name, ModelArguments.ToJsonObject(arguments), cancellationToken).ConfigureAwait(false);
}
