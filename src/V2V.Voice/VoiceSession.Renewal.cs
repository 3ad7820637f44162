using Microsoft.Extensions.Logging;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    /// <summary>On the actor (a consistent view of the conversation): renews the connection when its plan says so.</summary>
    private async ValueTask RenewIfDueAsync(string reason, CancellationToken ct)
    {
        // Quiet: no answer asked for, in progress, or still being played, and no tool call out.
        var quiet = _turns.ActiveResponseId is null && !_turns.ResponseRequested && (_playout?.Count ?? 0) == 0 && !_transcript.IsOpen && _pendingToolCalls == 0;
        var decision = _connection.CheckRenewal(quiet);
        if (!decision.Renew)
        {
            return;
        }
        _logger.LogInformation("Renewing the realtime connection before the service ends its session ({How})", decision.Forced ? "mid-answer: no quiet moment came" : "at a quiet moment");
        if (!quiet)
        {
            await BargeInAsync("the connection is being renewed", ct).ConfigureAwait(false);
        }
        if (await _connection.RenewAsync(ct).ConfigureAwait(false))
        {
            await AfterReconnectAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The renewal timer's call: a look at the plan, on the control lane; nobody to ask once the session stops.</summary>
    private async Task PostRenewalCheckAsync()
    {
        try
        {
            await PostAsync(RenewIfDueAsync, "renewal check").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
