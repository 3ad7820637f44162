namespace V2V.Simulator;

/// <summary>
/// Faults the server injects on demand, so that clients can be tested against a peer that misbehaves the way
/// the real service sometimes does. Counts are per connection. All off by default.
/// </summary>
public sealed class LocalRealtimeServerFaults
{
    /// <summary>
    /// Close the connection after this many server events have been sent (null: never); switched on mid-session at a
    /// count already passed, at the next event.
    /// </summary>
    public int? CloseAfterEvents { get; set; }

    /// <summary>
    /// With <see cref="CloseAfterEvents"/>: drop the connection without a close handshake (as a network loss does)
    /// instead of closing it with status 1011 (internal error).
    /// </summary>
    public bool AbortInsteadOfClose { get; set; }

    /// <summary>
    /// With <see cref="CloseAfterEvents"/>: close only the first this many connections so (null: every connection),
    /// e.g. a connection lost while the client is still configuring it, and the next one that lasts.
    /// </summary>
    public int? CloseConnections { get; set; }

    /// <summary>Wait this long, in wall-clock time, before the first response of a connection starts (null: no wait).</summary>
    public TimeSpan? FirstResponseDelay { get; set; }

    /// <summary>
    /// Wait this long, in wall-clock time, between the first response's <c>response.created</c> (and its output item)
    /// and its first audio (null: no wait): an answer announced whose words are still to come.
    /// </summary>
    public TimeSpan? FirstAudioDelay { get; set; }

    /// <summary>
    /// With <see cref="FirstResponseDelay"/> or <see cref="FirstAudioDelay"/>: delay the first response of only the
    /// first this many connections (null: of every connection), e.g. an answer held back on the connection a client is
    /// about to replace, not on the next.
    /// </summary>
    public int? FirstResponseDelayConnections { get; set; }

    /// <summary>Send an <c>error</c> event once, right after this many server events (null: never).</summary>
    public int? ErrorAfterEvents { get; set; }

    /// <summary>Type of the injected error (<c>server_error</c> by default).</summary>
    public string ErrorType { get; set; } = "server_error";

    /// <summary>Code of the injected error (null by default).</summary>
    public string? ErrorCode { get; set; }

    /// <summary>Message of the injected error.</summary>
    public string ErrorMessage { get; set; } = "The server had an error while processing your request. Sorry about that!";

    /// <summary>
    /// Errors name no client event (<c>error.event_id</c> null), as the service's have been seen to do even for a client
    /// that sent ids (a truncate's <c>invalid_value</c>): a client must recognise its refusals by their code and what it
    /// has outstanding, not only by the id it sent.
    /// </summary>
    public bool ErrorsNameNoEvent { get; set; }

    /// <summary>
    /// Fail the user's transcription: each committed turn gets <c>conversation.item.input_audio_transcription.failed</c>
    /// instead of <c>.completed</c>, as the service reports audio it could not transcribe.
    /// </summary>
    public bool FailTranscriptions { get; set; }

    /// <summary>
    /// Fail responses as the service does: <c>response.done</c> with status <c>failed</c> and <c>status_details.error</c>
    /// of this code: <c>insufficient_quota</c>, <c>rate_limit_exceeded</c> or <c>server_error</c> (null: never).
    /// </summary>
    public string? FailResponsesWith { get; set; }

    /// <summary>With <see cref="FailResponsesWith"/>: how many responses of a connection succeed before they fail.</summary>
    public int FailResponsesAfter { get; set; }

    /// <summary>
    /// Refuse WebSocket handshakes with this HTTP status (e.g. 429, 500, 503) and an error body shaped as the
    /// profile's service sends it (OpenAI's or Azure's JSON; a 429 says it is a rate limit).
    /// </summary>
    public int? RefuseHandshakeStatusCode { get; set; }

    /// <summary>With <see cref="RefuseHandshakeStatusCode"/>: refuse only this many handshakes, then accept (null: refuse all).</summary>
    public int? RefuseHandshakes { get; set; }

    /// <summary>With <see cref="RefuseHandshakeStatusCode"/>: send <c>Retry-After</c> with this wait, in whole seconds (null: no header).</summary>
    public TimeSpan? RefuseHandshakeRetryAfter { get; set; }

    /// <summary>
    /// After each server event sent, drop the connection with this probability (0..1; 0: never), as
    /// <see cref="CloseAfterEvents"/> does (an abort with <see cref="AbortInsteadOfClose"/>): connections lost at
    /// random points, for chaos tests.
    /// </summary>
    public double DropProbabilityPerEvent { get; set; }

    /// <summary>
    /// Seed of the random drops, so a chaos run can be repeated: connection k draws from a seed mixed from this one
    /// and k. (Seeded with seed + k, as before, seed 12 was seed 11 shifted by one connection: the same connections
    /// dropped at the same events in every run, so runs with "other" seeds repeated one another.)
    /// </summary>
    public int DropSeed { get; set; } = 1;

    /// <summary>
    /// Drop each connection once, at a random moment of wall time: after a wait drawn from an exponential distribution
    /// with this mean, in seconds (0: never), seeded from <see cref="DropSeed"/>. A network that fails at any moment, not
    /// only just after an event (<see cref="DropProbabilityPerEvent"/> drops while events flow, mostly while an answer
    /// streams; a timed drop falls as often while an answer that has all come is being played, as a real one does).
    /// </summary>
    public double DropMeanSeconds { get; set; }

    private int _connections;
    private int _timedConnections;
    private int _refused;
    private int _delayedConnections;
    private int _closedConnections;

    /// <summary>Whether the next connection is closed after <see cref="CloseAfterEvents"/> (<see cref="CloseConnections"/>); counts them.</summary>
    internal bool NextConnectionCloses() =>
        CloseAfterEvents is not null && (CloseConnections is not { } limit || Interlocked.Increment(ref _closedConnections) <= limit);

    /// <summary>Whether the first response of the next connection is delayed (<see cref="FirstResponseDelayConnections"/>); counts the connections.</summary>
    internal bool NextConnectionDelayed() =>
        FirstResponseDelayConnections is not { } limit || Interlocked.Increment(ref _delayedConnections) <= limit;

    /// <summary>The status to refuse this handshake with, or null to let it through; counts the refusals.</summary>
    internal int? NextHandshakeRefusal()
    {
        if (RefuseHandshakeStatusCode is not { } status)
        {
            return null;
        }
        return RefuseHandshakes is not { } limit || Interlocked.Increment(ref _refused) <= limit ? status : null;
    }

    /// <summary>A random source for the next connection's drops, or null when random drops are off.</summary>
    internal Random? NextDropRandom() =>
        DropProbabilityPerEvent > 0 ? new Random(ConnectionSeed(DropSeed, Interlocked.Increment(ref _connections))) : null;

    /// <summary>How long the next connection lives before its timed drop, or null when timed drops are off.</summary>
    internal TimeSpan? NextDropAfter()
    {
        if (DropMeanSeconds <= 0)
        {
            return null;
        }
        // Its own stream of seeds (the connection count negated): the per-event drops of a connection keep their draws.
        var random = new Random(ConnectionSeed(DropSeed, -Interlocked.Increment(ref _timedConnections)));
        return TimeSpan.FromSeconds(-DropMeanSeconds * Math.Log(1 - random.NextDouble()));
    }

    /// <summary>Connection <paramref name="connection"/>'s seed under <paramref name="seed"/>: both mixed through SplitMix64's finaliser.</summary>
    internal static int ConnectionSeed(int seed, int connection)
    {
        var z = ((ulong)(uint)seed << 32 | (uint)connection) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    internal void Validate()
    {
        if (DropMeanSeconds < 0 || !double.IsFinite(DropMeanSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(DropMeanSeconds), DropMeanSeconds, "Faults.DropMeanSeconds must be 0 (no timed drops) or a positive number of seconds.");
        }

        if (DropProbabilityPerEvent is < 0 or > 1 || double.IsNaN(DropProbabilityPerEvent))
        {
            throw new ArgumentOutOfRangeException(nameof(DropProbabilityPerEvent), DropProbabilityPerEvent, "Faults.DropProbabilityPerEvent must be between 0 and 1.");
        }

        if (CloseAfterEvents is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CloseAfterEvents), CloseAfterEvents, "Faults.CloseAfterEvents must be at least 1, or null.");
        }

        if (ErrorAfterEvents is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ErrorAfterEvents), ErrorAfterEvents, "Faults.ErrorAfterEvents must be at least 1, or null.");
        }

        if (FirstResponseDelay is { } d && d < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstResponseDelay), d, "Faults.FirstResponseDelay must not be negative.");
        }

        if (FirstAudioDelay is { } a && a < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstAudioDelay), a, "Faults.FirstAudioDelay must not be negative.");
        }

        if (CloseConnections is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CloseConnections), CloseConnections, "Faults.CloseConnections must be at least 1, or null to close every connection after CloseAfterEvents.");
        }
        if (FirstResponseDelayConnections is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstResponseDelayConnections), FirstResponseDelayConnections, "Faults.FirstResponseDelayConnections must be at least 1, or null to delay the first response of every connection.");
        }

        if (FailResponsesWith is not null && !Responses.ResponseFailure.Codes.Contains(FailResponsesWith))
        {
            throw new ArgumentOutOfRangeException(nameof(FailResponsesWith), FailResponsesWith, $"Faults.FailResponsesWith must be one of {string.Join(", ", Responses.ResponseFailure.Codes)}, or null.");
        }

        if (FailResponsesAfter < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FailResponsesAfter), FailResponsesAfter, "Faults.FailResponsesAfter must not be negative.");
        }

        if (RefuseHandshakeStatusCode is { } s && (s < 400 || s > 599))
        {
            throw new ArgumentOutOfRangeException(nameof(RefuseHandshakeStatusCode), s, "Faults.RefuseHandshakeStatusCode must be an HTTP error status (400-599).");
        }

        if (RefuseHandshakes is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RefuseHandshakes), RefuseHandshakes, "Faults.RefuseHandshakes must be at least 1, or null to refuse every handshake.");
        }

        if (RefuseHandshakeRetryAfter is { } wait && (wait < TimeSpan.Zero || wait.Ticks % TimeSpan.TicksPerSecond != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(RefuseHandshakeRetryAfter), wait, "Faults.RefuseHandshakeRetryAfter must be a whole number of seconds, not negative (Retry-After counts seconds).");
        }
    }
}
