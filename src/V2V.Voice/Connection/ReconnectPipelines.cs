using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using V2V.Realtime.Client;

namespace V2V.Voice.Connection;

/// <summary>The Polly pipelines of the connection stage: exponential backoff with jitter, on the options' clock.</summary>
internal static class ReconnectPipelines
{
    /// <summary>
    /// The first connection: a handshake refused for now (429, 5xx, no answer) is tried again up to
    /// <see cref="VoiceSessionOptions.FirstConnectRetries"/> times; anything else fails the start at once.
    /// </summary>
    public static ResiliencePipeline FirstConnection(VoiceSessionOptions options, ILogger logger)
    {
        if (options.FirstConnectRetries == 0)
        {
            return ResiliencePipeline.Empty;
        }
        return new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
            .AddRetry(Backoff(options, new RetryStrategyOptions
            {
                MaxRetryAttempts = options.FirstConnectRetries,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is RealtimeHandshakeException refused
                    && FailureClassifier.Classify(refused).Kind != FailureKind.Fatal),
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
            .AddRetry(Backoff(options, new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } error
                    && error is not OperationCanceledException
                    && FailureClassifier.Classify(error).Kind != FailureKind.Fatal
                    && withinBudget()),
                OnRetry = onRetry,
            }))
            .Build();

    private static RetryStrategyOptions Backoff(VoiceSessionOptions options, RetryStrategyOptions retry)
    {
        retry.BackoffType = DelayBackoffType.Exponential;
        // Many sessions dropped at once must not come back at once.
        retry.UseJitter = true;
        retry.Delay = options.ReconnectDelay;
        retry.MaxDelay = options.MaxReconnectDelay;
        // A rate limit that names its wait is waited out (no longer than the longest backoff); else the backoff decides.
        retry.DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Exception is { } error && FailureClassifier.Classify(error).RetryAfter is { } wait
                ? (TimeSpan?)(wait < options.MaxReconnectDelay ? wait : options.MaxReconnectDelay)
                : null);
        return retry;
    }
}
