using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Endpoints;

/// <summary>
/// A JSON answer of the server's HTTP endpoints, and the two error bodies the services send: OpenAI's
/// <c>{"error":{"message","type","param","code"}}</c> and Azure's <c>{"error":{"code","message"}}</c>.
/// </summary>
internal static class JsonAnswer
{
    public static Task OpenAiErrorAsync(HttpContext context, int status, string message, string type, string? code, string? param = null) =>
        WriteAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        });

    public static Task AzureErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteAsync(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    public static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(WireJson.SerializerOptions), context.RequestAborted).ConfigureAwait(false);
    }
}
