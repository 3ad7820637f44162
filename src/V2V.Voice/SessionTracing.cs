namespace V2V.Voice;

/// <summary>
/// The session's traces in OpenAI's Traces dashboard (GA only; the service's <c>tracing</c>): each connection of the
/// session is traced under these names, so that a call can be found by its own id (say, a phone call's). With nothing
/// set, the service names the trace itself (<c>auto</c>). The service takes the configuration once per connection and
/// refuses a change after it; the session sends it only in each connection's first configuration.
/// </summary>
public sealed class SessionTracing
{
    /// <summary>The name of the workflow, as the dashboard lists the traces (null: the service's).</summary>
    public string? WorkflowName { get; set; }

    /// <summary>The group the traces are filed under, e.g. a call or customer id (null: none).</summary>
    public string? GroupId { get; set; }

    /// <summary>Metadata to filter the traces by (empty: none).</summary>
    public IDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The service's <c>tracing</c>: <c>"auto"</c>, or the object of what is set.</summary>
    internal System.Text.Json.Nodes.JsonNode ToJson()
    {
        if (string.IsNullOrWhiteSpace(WorkflowName) && string.IsNullOrWhiteSpace(GroupId) && (Metadata is null || Metadata.Count == 0))
        {
            return System.Text.Json.Nodes.JsonValue.Create("auto");
        }
        var tracing = new System.Text.Json.Nodes.JsonObject();
        if (!string.IsNullOrWhiteSpace(WorkflowName))
        {
            tracing["workflow_name"] = WorkflowName;
        }
        if (!string.IsNullOrWhiteSpace(GroupId))
        {
            tracing["group_id"] = GroupId;
        }
        if (Metadata is { Count: > 0 })
        {
            var metadata = new System.Text.Json.Nodes.JsonObject();
            foreach (var (key, value) in Metadata)
            {
                metadata[key] = value;
            }
            tracing["metadata"] = metadata;
        }
        return tracing;
    }
}
