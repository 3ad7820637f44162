using System.Text.Json.Nodes;
using V2V.Realtime.Client;
using V2V.Ten;

namespace V2V.Extension.Properties;

/// <summary>
/// The one place where an error of a layer below becomes an error of a property. The layers below name the option
/// at fault in a field of their exception, never only in its text: <see cref="ArgumentException.ParamName"/> (the
/// voice session's options) and the realtime client's <see cref="RealtimeConfigurationException"/>. The
/// <see cref="PropertyTable"/> turns that name into the property; the lower layer's message is kept whole.
/// </summary>
internal static class LowerLayerErrors
{
    /// <summary>The property error for <paramref name="error"/>, or null when it names no option of a property.</summary>
    /// <param name="error">What a layer below threw.</param>
    /// <param name="given">The node's properties: of an option's names (an alias and its name), the one given is named.</param>
    public static TenPropertyException? ToPropertyError(Exception error, JsonObject given)
    {
        var (option, problem) = error switch
        {
            ArgumentException argument => (argument.ParamName, $"is refused: {error.Message}"),
            RealtimeConfigurationException configuration => (configuration.Option, $"is refused: {error.Message}"),
            // The service's own words, not the client's advice (which names its C# option): the row says the fix.
            RealtimeAuthenticationException refused => (refused.Option,
                $"was refused by {refused.Endpoint} ({refused.StatusAndReason})."),
            _ => (null, null),
        };
        return option is not null && PropertyTable.ForOption(option, given) is { } row
            ? row.Refused(problem!, error) // the cause stays reachable: a host can say a refused key in its own words
            : null;
    }
}
