using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using V2V.Playground.Hosting;
using V2V.Playground.Sessions;

namespace V2V.Playground.Telephony;

/// <summary>
/// <c>/media-stream</c>: Twilio's Media Streams WebSocket, one phone call per connection. It has its own gate
/// (<see cref="StreamGate"/>: Twilio's signature, or loopback only) in place of the page's access token, which Twilio
/// cannot send; so it is mapped ahead of the page's gate.
/// </summary>
internal sealed partial class MediaStreamEndpoint
{
    public const string Path = "/media-stream";

    private readonly SessionContext _context;
    private readonly StreamGate _gate;
    private readonly SessionGate _calls;
    private readonly ILogger _logger;

    // calls: who may start a call, at most Telephony.MaxCalls at once and none once the node drains.
    public MediaStreamEndpoint(SessionContext context, TelephonyOptions options, SessionGate calls, ILogger logger)
    {
        _context = context;
        _logger = logger;
        _calls = calls;
        var authToken = options.EffectiveAuthToken(context.Environment);
        _gate = new StreamGate(authToken, options.PublicUrl);
        LogLine(logger, Path, authToken is null ? $"loopback callers only (set {TelephonyOptions.AuthTokenVariable} to take Twilio's signed streams)" : "Twilio's signature required");
    }

    /// <summary>Maps the endpoint onto <paramref name="app"/>, in a branch of its own with its own WebSocket settings.</summary>
    public void Map(IApplicationBuilder app) =>
        app.Map(new PathString(Path), phone =>
        {
            phone.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
            phone.Run(HandleAsync);
        });

    private async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }
        if (_gate.Refusal(http.Request) is { } why)
        {
            LogRefused(_logger, why);
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (!_calls.TryEnter(out var refusal))
        {
            // Draining: Twilio's <Connect> fails over to the TwiML's next verb, or the balancer's next node.
            LogTooMany(_logger, refusal, _calls.Capacity);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        try
        {
            // A call ends when Twilio stops it or goes away, when a drain's deadline comes, or when the server stops.
            var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping, _calls.Deadline);
            using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await new PhoneCall(socket, _context, _logger).RunAsync(ended.Token).ConfigureAwait(false);
        }
        finally
        {
            _calls.Leave();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Phone calls: Twilio Media Streams at {Path}; {Who}.")]
    private static partial void LogLine(ILogger logger, string path, string who);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a media stream: {Why}.")]
    private static partial void LogRefused(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a media stream: {Why} (calls at most: {MaxCalls}, Telephony.MaxCalls).")]
    private static partial void LogTooMany(ILogger logger, string? why, int maxCalls);
}
