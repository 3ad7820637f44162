namespace V2V.Simulator.Protocol;

/// <summary>OpenAI's wording for a value outside a closed list: "Invalid value: 'x'. Supported values are: 'a', 'b', and 'c'."</summary>
internal static class SupportedValues
{
    public static InvalidParam? Check(string value, IReadOnlyCollection<string> supported, string param) =>
        supported.Contains(value, StringComparer.Ordinal) ? null : new InvalidParam("invalid_value", Message(value, supported), param);

    public static string Message(string value, IReadOnlyCollection<string> supported)
    {
        var quoted = supported.Select(s => $"'{s}'").ToList();
        var list = quoted.Count < 2 ? string.Concat(quoted) : $"{string.Join(", ", quoted[..^1])}, and {quoted[^1]}";
        return $"Invalid value: '{value}'. Supported values are: {list}.";
    }
}
