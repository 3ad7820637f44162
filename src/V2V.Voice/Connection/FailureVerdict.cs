namespace V2V.Voice.Connection;

/// <summary>What a failure of the connection calls for.</summary>
internal enum FailureKind
{
    /// <summary>Retrying cannot help (refused key, quota, retired protocol, unknown model, refused configuration): the session ends.</summary>
    Fatal,

    /// <summary>The service ended the session at the end of its lifetime: a new connection at once.</summary>
    Renewal,

    /// <summary>The network or the service failed for now: retry with backoff.</summary>
    Transient,
}

/// <summary>A classified failure: its kind, why (for the one error a user sees), and the wait the service asked for, if it said.</summary>
internal sealed record FailureVerdict(FailureKind Kind, string Reason, TimeSpan? RetryAfter = null);
