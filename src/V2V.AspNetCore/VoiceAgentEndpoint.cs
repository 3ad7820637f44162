using Microsoft.Extensions.Logging;
using V2V.Voice;

namespace V2V.AspNetCore;

/// <summary>What every socket of one <c>MapVoiceAgent</c> endpoint shares: its options, its services, its bounds.</summary>
internal sealed record VoiceAgentEndpoint(
    VoiceAgentEndpointOptions Options,
    VoiceSessionFactory Factory,
    SessionSlots Slots,
    ResumeTokens Tokens,
    VoiceAgentMetrics Metrics,
    ILogger Logger,
    CancellationToken Stopping)
{
    public bool Resumable => Options.ResumeWindow > TimeSpan.Zero;
}
