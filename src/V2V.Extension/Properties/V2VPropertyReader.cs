using System.Text.Json.Nodes;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;

namespace V2V.Extension.Properties;

/// <summary>
/// Reads the resolved properties of an openai_v2v node (property.json overlaid by the graph's, <c>${env:NAME}</c>
/// already replaced by the host) through the <see cref="PropertyTable"/>, then lets the layers below check their
/// options and says what they refuse in the words of the properties.
/// </summary>
internal static class V2VPropertyReader
{
    /// <summary>
    /// The model when none is given, in either dialect (the retired preview models are no default: Azure's preview
    /// endpoint names its deployment in the path anyway).
    /// </summary>
    public const string DefaultModel = "gpt-realtime";

    public static V2VSettings Read(JsonObject properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var settings = new V2VSettings();
        foreach (var row in PropertyTable.Rows)
        {
            row.ApplyTo(settings, properties);
        }
        var connection = settings.Session.Connection;
        connection.Model ??= DefaultModel;
        if (settings.Mcp.ToServer() is { } mcp)
        {
            settings.Session.McpServers.Add(mcp);
        }
        foreach (var server in settings.McpServers)
        {
            settings.Session.McpServers.Add(server);
        }
        Check(settings, properties);
        return settings;
    }

    // Each layer checks its own options in its own names; what it refuses is mapped to the property that set it.
    private static void Check(V2VSettings settings, JsonObject properties)
    {
        try
        {
            settings.Session.Validate();
            if (!settings.NeedsKeylessEndpoint)
            {
                RealtimeEndpoint.Create(settings.Session.Connection);
            }
        }
        catch (Exception ex) when (LowerLayerErrors.ToPropertyError(ex, properties) is { } refused)
        {
            throw refused;
        }
    }
}
