using System.Text.Json;
using System.Text.Json.Nodes;

namespace V2V.Simulator.Protocol;

/// <summary>
/// A schema's own <c>minimum</c>/<c>maximum</c> broken (e.g. GA <c>idle_timeout_ms</c> 5000-30000, <c>speed</c>
/// 0.25-1.5), worded as the service words range errors (<see cref="NumericLimits"/>) rather than as the schema
/// library does; integer or decimal as the schema types the field.
/// </summary>
internal static class SchemaRangeError
{
    public static InvalidParam? From(JsonObject? subschema, JsonElement value, string param)
    {
        if (subschema is null || (subschema["minimum"] is null && subschema["maximum"] is null))
        {
            return null;
        }

        var minimum = subschema["minimum"]?.GetValue<double>();
        var maximum = subschema["maximum"]?.GetValue<double>();
        var integer = subschema["type"] is JsonValue type && type.TryGetValue<string>(out var name) && name == "integer";
        return integer
            ? NumericLimits.Integer(value, (long?)minimum ?? long.MinValue, (long?)maximum ?? long.MaxValue, param)
            : NumericLimits.Decimal(value, minimum ?? double.NegativeInfinity, maximum ?? double.PositiveInfinity, param);
    }
}
