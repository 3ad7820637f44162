using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace V2V.Simulator.Endpoints;

/// <summary>HTTP error answers to a refused handshake, with the bodies OpenAI and Azure OpenAI send.</summary>
internal static class HandshakeErrors
{
    public static Task OpenAiAsync(HttpContext context, int status, string message, string type, string? code) =>
        WriteAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
        });

    public static Task AzureAsync(HttpContext context, int status, string code, string message) =>
        WriteAsync(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    /// <summary>Shows a key as OpenAI does in its 401 message: only its ends.</summary>
    public static string Redact(string key) => key.Length <= 8 ? "***" : $"{key[..3]}{new string('*', 8)}{key[^4..]}";

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
