namespace V2V.Graph.Definition;

/// <summary>
/// One route of a graph: messages of <paramref name="Kind"/> named <paramref name="MessageName"/> sent by
/// <paramref name="Source"/> go to every one of <paramref name="Destinations"/> (fan-out). A TEN connection
/// is flattened into one route per message name.
/// </summary>
/// <param name="Source">The sending node.</param>
/// <param name="Kind">cmd, data or audio_frame.</param>
/// <param name="MessageName">The message name, e.g. <c>pcm_frame</c>.</param>
/// <param name="Destinations">The receiving nodes, in the order written.</param>
/// <param name="Location">Where the route is written, for messages: e.g. <c>connections[1].data[0]</c>.</param>
public sealed record GraphRoute(string Source, MessageKind Kind, string MessageName, IReadOnlyList<string> Destinations, string Location)
{
    /// <summary>The <c>msg_conversion</c> of each destination that has one, by destination name.</summary>
    public IReadOnlyDictionary<string, MessageConversion> Conversions { get; init; } = new Dictionary<string, MessageConversion>(StringComparer.Ordinal);

    /// <summary>The conversion on the way to <paramref name="destination"/>, or null.</summary>
    public MessageConversion? ConversionTo(string destination) => Conversions.GetValueOrDefault(destination);

    /// <summary>A short description for messages, e.g. <c>data 'text_data' from 'v2v'</c>.</summary>
    public override string ToString() => $"{Kind.Key()} '{MessageName}' from '{Source}'";
}
