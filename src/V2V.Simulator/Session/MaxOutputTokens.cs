using System.Text.Json;
using V2V.Simulator.Protocol;

namespace V2V.Simulator.Session;

/// <summary>
/// The limit on a response's output tokens: an integer 1-4096 or <c>"inf"</c>, the same for the session's
/// <c>max_output_tokens</c> (beta <c>max_response_output_tokens</c>) and a response's own <c>max_output_tokens</c>.
/// The schema checks the shape (integer or "inf"); the service checks the range.
/// </summary>
internal static class MaxOutputTokens
{
    public const int Maximum = 4096;

    /// <summary>Null when <paramref name="value"/> is accepted, else the error naming <paramref name="param"/> (e.g. <c>response.max_output_tokens</c>).</summary>
    public static InvalidParam? Check(JsonElement value, string param) => NumericLimits.Integer(value, 1, Maximum, param);
}
