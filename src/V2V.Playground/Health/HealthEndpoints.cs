using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using V2V.Playground.Hosting;

namespace V2V.Playground.Health;

/// <summary>
/// The probes of a load balancer or an orchestrator, through ASP.NET Core's health checks: <c>/healthz</c> (the process
/// answers: 200) and <c>/readyz</c> (200 when a new session would be taken, else 503), each a small JSON
/// <c>{"status":"ready"}</c> or <c>{"status":"not_ready","reason":"draining",...}</c>. They need no access token
/// (probes carry none) and say nothing secret.
/// </summary>
internal static class HealthEndpoints
{
    public const string Liveness = "/healthz";
    public const string Readiness = "/readyz";
    private const string ReadyTag = "ready";

    public static void Register(IServiceCollection services, SessionGate gate, BackendProbe backend) =>
        services.AddHealthChecks().Add(new HealthCheckRegistration("sessions", _ => new ReadinessCheck(gate, backend), null, [ReadyTag]));

    public static void Map(WebApplication app)
    {
        // Alive is "this process answers HTTP": no check runs, so a slow backend never gets a live node restarted.
        app.MapHealthChecks(Liveness, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks(Readiness, new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var answer = new JsonObject { ["status"] = report.Status == HealthStatus.Healthy ? (context.Request.Path == Liveness ? "alive" : "ready") : "not_ready" };
        foreach (var entry in report.Entries.Values)
        {
            if (entry.Status != HealthStatus.Healthy)
            {
                answer["reason"] = entry.Description;
            }
            foreach (var (name, value) in entry.Data)
            {
                answer[name] = value is int number ? JsonValue.Create(number) : JsonValue.Create(value.ToString());
            }
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }
}
