using System.Globalization;
using System.Text.Json;

namespace V2V.Simulator.Protocol;

/// <summary>
/// OpenAI's range errors, e.g. code <c>integer_above_max_value</c> with "Invalid 'session.max_output_tokens':
/// integer above maximum value. Expected a value &lt;= 4096, but got 5000 instead." (and <c>integer_below_min_value</c>,
/// <c>decimal_above_max_value</c>, <c>decimal_below_min_value</c>: the codes clients of the service test for, e.g.
/// a <c>session.temperature</c> below 0.6). A value that is not a number passes: its type is the schema's concern.
/// </summary>
internal static class NumericLimits
{
    public static InvalidParam? Integer(JsonElement value, long min, long max, string param)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        // An integer past long's range is above (or below) any limit; its text is still what the client sent.
        var received = value.TryGetInt64(out var whole) ? whole : value.GetDouble();
        return received < min ? OutOfRange(param, "integer", below: true, Format(min), value.GetRawText())
            : received > max ? OutOfRange(param, "integer", below: false, Format(max), value.GetRawText())
            : null;
    }

    public static InvalidParam? Decimal(JsonElement value, double min, double max, string param)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        var received = value.GetDouble();
        return received < min ? OutOfRange(param, "decimal", below: true, Format(min), Format(received))
            : received > max ? OutOfRange(param, "decimal", below: false, Format(max), Format(received))
            : null;
    }

    private static InvalidParam OutOfRange(string param, string kind, bool below, string limit, string received) => below
        ? new($"{kind}_below_min_value", $"Invalid '{param}': {kind} below minimum value. Expected a value >= {limit}, but got {received} instead.", param)
        : new($"{kind}_above_max_value", $"Invalid '{param}': {kind} above maximum value. Expected a value <= {limit}, but got {received} instead.", param);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
