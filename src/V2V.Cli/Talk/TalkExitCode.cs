namespace V2V.Cli.Talk;

/// <summary>The exit codes of <c>v2v talk</c>, for scripts.</summary>
internal static class TalkExitCode
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Unreachable = 3;
    public const int KeyRefused = 4;
    public const int NoAnswer = 5;
    public const int NoSpeech = 6;

    /// <summary>The service refused to answer for the key's quota or billing: retrying will not help until it is fixed.</summary>
    public const int QuotaExceeded = 7;

    /// <summary>The service kept refusing the connection for its rate limit (HTTP 429), after the waits it asked for.</summary>
    public const int RateLimited = 8;

    /// <summary>Stopped by Ctrl+C (SIGINT) or SIGTERM: 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;

    /// <summary>Every exit code and what it means, for the command's help (a test holds it to the constants above).</summary>
    public static IReadOnlyList<(int Code, string Meaning)> All { get; } =
    [
        (Ok, "answered"),
        (Failed, "failed"),
        (BadInput, "bad input"),
        (Unreachable, "unreachable"),
        (KeyRefused, "key refused"),
        (NoAnswer, "no answer"),
        (NoSpeech, "no speech heard"),
        (QuotaExceeded, "quota or billing exhausted"),
        (RateLimited, "rate limited (HTTP 429)"),
        (Cancelled, "cancelled (Ctrl+C)"),
    ];

    /// <summary>"0 answered, 1 failed, ...": the exit codes in the command's help.</summary>
    public static string Summary => string.Join(", ", All.Select(c => $"{c.Code} {c.Meaning}"));

    /// <summary>The exit code of a session stopped by a fatal error of this code.</summary>
    public static int ForFatalError(string? code) => code switch
    {
        "insufficient_quota" or "billing_hard_limit_reached" => QuotaExceeded,
        "invalid_api_key" => KeyRefused,
        _ => Failed,
    };
}
