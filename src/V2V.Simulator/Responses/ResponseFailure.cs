using System.Text.Json.Nodes;

namespace V2V.Simulator.Responses;

/// <summary>
/// The <c>status_details</c> of a response the service could not produce: <c>response.done</c> with status
/// <c>failed</c> and the error inside, worded as OpenAI words it.
/// </summary>
internal static class ResponseFailure
{
    public static readonly string[] Codes = ["insufficient_quota", "rate_limit_exceeded", "server_error"];

    public static JsonObject StatusDetails(string code) => new()
    {
        ["type"] = "failed",
        ["error"] = code switch
        {
            "insufficient_quota" => Error("insufficient_quota", code, "You exceeded your current quota, please check your plan and billing details."),
            "rate_limit_exceeded" => Error("rate_limit_exceeded", code, "Rate limit reached for the model's tokens per minute. Please try again in 20s."),
            _ => Error("server_error", null, "The server had an error while processing your request. Sorry about that!"),
        },
    };

    private static JsonObject Error(string type, string? code, string message) => new()
    {
        ["type"] = type,
        ["code"] = code,
        ["message"] = message,
    };
}
