using System.Text.Json.Nodes;

namespace V2V.Simulator.Responses;

/// <summary>The <c>rate_limits.updated</c> event: generous, constant limits (the local server never throttles).</summary>
internal static class RateLimits
{
    public static JsonObject Event() => new()
    {
        ["type"] = "rate_limits.updated",
        ["rate_limits"] = new JsonArray(
            new JsonObject { ["name"] = "requests", ["limit"] = 20000, ["remaining"] = 19999, ["reset_seconds"] = 0.003 },
            new JsonObject { ["name"] = "tokens", ["limit"] = 10000000, ["remaining"] = 9990000, ["reset_seconds"] = 0.06 }),
    };
}
