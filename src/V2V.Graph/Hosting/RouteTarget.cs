using V2V.Graph.Definition;

namespace V2V.Graph.Hosting;

/// <summary>One destination of a route: the receiving actor and the <c>msg_conversion</c> on the way to it, if any.</summary>
internal readonly record struct RouteTarget(ExtensionActor Actor, MessageConversion? Conversion);
