using V2V.Ten.Messages;

namespace V2V.Graph.Hosting;

/// <summary>
/// A command on its way to its destinations and their results back, as TEN returns them: each destination gets the
/// command (converted for it when its route says so) and answers once; the result names the extension that answered
/// (<see cref="TenMessage.Source"/>) and is converted back by the route's <c>msg_conversion.result</c>.
/// </summary>
internal static class CmdDelivery
{
    /// <summary>Sends to one destination and waits for its result.</summary>
    public static async Task<CmdResult> SendAsync(RouteTarget target, Cmd cmd, CancellationToken cancellationToken)
    {
        var conversion = target.Conversion;
        Cmd sent;
        try
        {
            sent = conversion is null ? cmd : MessageConverter.Convert(cmd, conversion);
        }
        catch (InvalidOperationException ex)
        {
            return Answered(CmdResult.Error($"the msg_conversion of the command '{cmd.Name}' from '{cmd.Source}' to '{target.Actor.Name}' failed: {ex.Message}"), target);
        }
        var result = await target.Actor.SendCmdAsync(sent, cancellationToken).ConfigureAwait(false);
        Answered(result, target);
        if (conversion?.Result is { } back)
        {
            try
            {
                return MessageConverter.ConvertResult(result, back);
            }
            catch (InvalidOperationException ex)
            {
                return Answered(CmdResult.Error($"the msg_conversion.result of the command '{cmd.Name}' from '{target.Actor.Name}' failed: {ex.Message}"), target);
            }
        }
        return result;
    }

    /// <summary>
    /// The one result that stands for several (see <see cref="Ten.ITenEnv.SendCmdAsync"/>): the first OK that carries
    /// properties, else the first error, else the first OK; "first" in the graph's order of destinations.
    /// </summary>
    public static CmdResult Choose(CmdResult[] results)
    {
        CmdResult? firstError = null;
        foreach (var result in results)
        {
            if (result.Status == StatusCode.Ok && result.Properties.Count > 0)
            {
                return result;
            }
            firstError ??= result.Status == StatusCode.Error ? result : null;
        }
        return firstError ?? results[0];
    }

    private static CmdResult Answered(CmdResult result, RouteTarget target)
    {
        result.Source = target.Actor.Name;
        return result;
    }
}
