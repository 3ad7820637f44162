using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using V2V.Realtime.Client;

namespace V2V.Voice.Connection;

/// <summary>The Polly pipelines of the connection stage: exponential backoff with jitter, on the options' clock.</summary>
internal static class ReconnectPipelines
{
    /// <summary>
    /// The first connection: a handshake refused for now (429, 5xx, no answer), or a connection lost while it was being
    /// configured (a network blip, the service dropping it), is tried again up to
    /// <see cref="VoiceSessionOptions.FirstConnectRetries"/> times, after the wait the service asks for
    /// (<c>Retry-After</c>) when it names one; anything else fails the start at once, and so does a wait that would
    /// end beyond <see cref="VoiceSessionOptions.ReconnectGiveUpAfter"/> from now. Build it when starting: the
    /// give-up time counts from then.
    /// </summary>
    public static ResiliencePipeline FirstConnection(VoiceSessionOptions options, ILogger logger)
    {
        if (options.FirstConnectRetries == 0)
        {
            return ResiliencePipeline.Empty;
        }
        var giveUpAt = options.TimeProvider.GetUtcNow() + options.ReconnectGiveUpAfter;
        return new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
            .AddRetry(Backoff(options, options.ReconnectGiveUpAfter, new RetryStrategyOptions
            {
                MaxRetryAttempts = options.FirstConnectRetries,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is (RealtimeHandshakeException or RealtimeConnectionLostException or ConnectionEndedException) and var failed
                    && FailureClassifier.Classify(failed) is { Kind: not FailureKind.Fatal } verdict
                    && options.TimeProvider.GetUtcNow() + (verdict.RetryAfter ?? TimeSpan.Zero) <= giveUpAt),
                OnRetry = args =>
                {
                    logger.LogWarning("Connecting failed (attempt {Attempt} of {Attempts}), trying again in {Delay}: {Reason}",
                        args.AttemptNumber + 1, options.FirstConnectRetries + 1, args.RetryDelay, args.Outcome.Exception?.Message);
                    return default;
                },
            }))
            .Build();
    }

    /// <summary>
    /// Reconnecting: every failure a retry can help is tried again while <paramref name="withinBudget"/> says the
    /// outage has not lasted too long; a failure that no retry can help ends the pipeline at once.
    /// </summary>
    public static ResiliencePipeline Reconnect(VoiceSessionOptions options, Func<bool> withinBudget, Func<OnRetryArguments<object>, ValueTask> onRetry) =>
        new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
            .AddRetry(Backoff(options, options.MaxReconnectDelay, new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } error
                    && error is not OperationCanceledException
                    && FailureClassifier.Classify(error).Kind != FailureKind.Fatal
                    && withinBudget()),
                OnRetry = onRetry,
            }))
            .Build();

    /// <param name="options">The session's options: the backoff's first and longest delay.</param>
    /// <param name="longestAskedWait">The longest wait a service's <c>Retry-After</c> may impose; a longer one is cut to this.</param>
    /// <param name="retry">The retry to give the backoff.</param>
    private static RetryStrategyOptions Backoff(VoiceSessionOptions options, TimeSpan longestAskedWait, RetryStrategyOptions retry)
    {
        retry.BackoffType = DelayBackoffType.Exponential;
        // Many sessions dropped at once must not come back at once.
        retry.UseJitter = true;
        retry.Delay = options.ReconnectDelay;
        retry.MaxDelay = options.MaxReconnectDelay;
        // A refusal or rate limit that names its wait is waited out (no longer than the caller allows); else the backoff decides.
        retry.DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Exception is { } error && FailureClassifier.Classify(error).RetryAfter is { } wait
                ? (TimeSpan?)(wait < longestAskedWait ? wait : longestAskedWait)
                : null);
        return retry;
    }
}
