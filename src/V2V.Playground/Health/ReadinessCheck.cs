using Microsoft.Extensions.Diagnostics.HealthChecks;
using V2V.Playground.Hosting;

namespace V2V.Playground.Health;

/// <summary>
/// Ready for a new session: not draining, a session's room left, and the realtime service reachable (the local realtime
/// server up, when it is the backend). Each "no" carries a short reason (<c>draining</c>, <c>full</c>,
/// <c>backend_unreachable</c>) and nothing secret: the probe's target is a host and port.
/// </summary>
internal sealed class ReadinessCheck(SessionGate gate, BackendProbe backend) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["sessions"] = gate.Live, ["maxSessions"] = gate.Capacity };
        if (gate.IsDraining)
        {
            return HealthCheckResult.Unhealthy("draining", data: data);
        }
        if (gate.Live >= gate.Capacity)
        {
            return HealthCheckResult.Unhealthy("full", data: data);
        }
        if (!await backend.IsReachableAsync(cancellationToken).ConfigureAwait(false))
        {
            data["backend"] = backend.Target;
            return HealthCheckResult.Unhealthy("backend_unreachable", data: data);
        }
        return HealthCheckResult.Healthy("ready", data);
    }
}
