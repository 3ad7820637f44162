using System.Net.WebSockets;
using System.Security.Claims;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using V2V.Voice;

namespace V2V.AspNetCore;

/// <summary>
/// The sockets of a session's page in turn. A socket lost without a close (the page's network changed, its laptop
/// slept, its pings went unanswered) leaves the session waiting for its page: the answer in progress is cut where the
/// listener was (what was not heard is not kept), its events are kept (<see cref="PageOutlet"/>), and the page's new
/// socket takes the session back with the token of its last <c>ready</c> (<c>resume</c>), within
/// <see cref="VoiceAgentEndpointOptions.ResumeWindow"/>. A newer socket of the page also replaces one that still looks
/// open (the old one is dropped). One token is good once; each <c>ready</c> gives the next.
/// </summary>
internal sealed partial class VoiceAgentConnection
{
    // A page's new socket, waiting for the session to take it. One at a time: only the page holds the current token.
    private readonly Channel<Offer> _offers = Channel.CreateBounded<Offer>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    // Cancelled when the session can no longer be resumed (it ended by itself, or the app stops): a wait for the page ends.
    private readonly CancellationTokenSource _over = new();
    private PageLink? _current;
    private string? _token;
    private SecretMask _secrets = SecretMask.None; // the session's, built once: every socket of the page masks them
    private int _outputRate;
    private volatile bool _shuttingDown;

    private sealed record Offer(PageLink Link, int SampleRate);

    /// <summary>
    /// Runs the page's sockets in turn, from <paramref name="link"/>, until the session ends: returns the socket attached
    /// at the end (to be closed normally), or null when the page was lost and did not come back.
    /// </summary>
    private async Task<PageLink?> RunLinksAsync(VoiceSession session, PageLink link, int sampleRate, CancellationTokenSource ended)
    {
        var resumed = false;
        var joined = false;
        while (true)
        {
            var end = LinkEnd.Lost;
            if (await AttachAsync(link, resumed).ConfigureAwait(false))
            {
                try
                {
                    if (!joined)
                    {
                        joined = true;
                        await session.UserJoinedAsync(ended.Token).ConfigureAwait(false); // a greeting, when one is configured, is spoken now
                    }
                    end = await PumpInputAsync(session, link, sampleRate, ended.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
                {
                    end = LinkEnd.Closed; // the session stopped (its fatal error goes to the page from the output pump) or ended
                }
            }
            Volatile.Write(ref _current, null);
            await _outlet.DetachAsync().ConfigureAwait(false);
            if (end == LinkEnd.Closed || !endpoint.Resumable || _shuttingDown || _over.IsCancellationRequested || ended.IsCancellationRequested)
            {
                return link;
            }

            LogPageLost(_logger, _options.ResumeWindow.TotalSeconds);
            link.Abort();
            link.Release();
            try
            {
                await session.InterruptAsync(ended.Token).ConfigureAwait(false); // what the page did not play, its listener did not hear
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
            {
                // The session has stopped: the wait below ends at once.
            }
            if (await WaitForPageAsync(ended.Token).ConfigureAwait(false) is not { } offer)
            {
                endpoint.Metrics.Resume("expired");
                LogNotResumed(_logger);
                return null;
            }
            endpoint.Metrics.Resume("resumed");
            LogResumed(_logger, offer.SampleRate);
            (link, sampleRate, resumed) = (offer.Link, offer.SampleRate, true);
        }
    }

    /// <summary>Makes <paramref name="link"/> the page's socket: <c>ready</c> (with the next token), then what was kept. False when it failed at once.</summary>
    private async Task<bool> AttachAsync(PageLink link, bool resumed)
    {
        link.Sender.Mask(_secrets);
        // Current before the new token exists: a socket that resumes with that token replaces this one.
        Volatile.Write(ref _current, link);
        endpoint.Tokens.Revoke(_token);
        _token = endpoint.Resumable ? endpoint.Tokens.Issue(this) : null;
        var ready = PageEvents.Ready(_id, _outputRate, _token, _options.ResumeWindow, resumed);
        return await _outlet.AttachAsync(link.Sender, ready, dropped => PageEvents.Error(
            $"{dropped} of the session's events came while this page was away and were dropped (at most {PageOutlet.MaxParkedEvents} are kept); the transcript may miss lines", "events_dropped", fatal: false)).ConfigureAwait(false);
    }

    /// <summary>The page's new socket, or null when none came within the window, the session ended or the app stops.</summary>
    private async Task<Offer?> WaitForPageAsync(CancellationToken ct)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(ct, _over.Token);
        window.CancelAfter(_options.ResumeWindow);
        try
        {
            return await _offers.Reader.ReadAsync(window.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Wakes a session that waits for its page (the app stops, or the session ended by itself): it ends.</summary>
    private void WakeFromPark()
    {
        try
        {
            _over.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Over already.
        }
    }

    /// <summary>A page's new socket for this session; false when the session takes no more (it is ending).</summary>
    private bool TryOffer(PageLink link, int sampleRate)
    {
        if (!_offers.Writer.TryWrite(new Offer(link, sampleRate)))
        {
            return false;
        }
        Volatile.Read(ref _current)?.Abort(); // a socket that still looked open gives way to the page's newer one
        return true;
    }

    /// <summary>Whether the request that would resume the session is of its user (when the app signs its users in).</summary>
    private bool IsOwnedBy(HttpContext other) =>
        http.User.Identity is not { IsAuthenticated: true }
        || (other.User.Identity is { IsAuthenticated: true } && UserOf(http.User) == UserOf(other.User));

    private static (string? Id, string? Name) UserOf(ClaimsPrincipal user) => (user.FindFirst(ClaimTypes.NameIdentifier)?.Value, user.Identity?.Name);

    /// <summary>The session has ended: sockets that came to resume it are refused.</summary>
    private async Task RefuseOffersAsync()
    {
        _offers.Writer.TryComplete();
        while (_offers.Reader.TryRead(out var offer))
        {
            await FailAsync(offer.Link, endpoint, "the session ended before this socket could take it back; start a new session", "resume_failed", WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
            offer.Link.Release();
        }
        _over.Dispose();
    }

    /// <summary>A <c>resume</c>: the socket is handed to its session, and held until the session is done with it.</summary>
    private static async Task ResumeAsync(PageCommand.Resume resume, PageLink link, VoiceAgentEndpoint endpoint)
    {
        if (!endpoint.Resumable || endpoint.Tokens.Claim(resume.Token) is not { } session || !session.IsOwnedBy(link.Http) || !session.TryOffer(link, resume.SampleRate))
        {
            LogResumeRefused(endpoint.Logger);
            await FailAsync(link, endpoint, endpoint.Resumable
                ? "there is no session to resume with this token: it has ended, its page did not come back in time, or the token was used already; start a new session"
                : "this voice agent does not resume sessions (ResumeWindow is zero); start a new session", "resume_failed", WebSocketCloseStatus.PolicyViolation).ConfigureAwait(false);
            return;
        }
        await link.Done.ConfigureAwait(false);
    }
}
