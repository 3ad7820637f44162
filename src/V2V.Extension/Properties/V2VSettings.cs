using V2V.Voice;

namespace V2V.Extension.Properties;

/// <summary>What the properties of one openai_v2v node come to: the voice session's options and the extension's own.</summary>
internal sealed class V2VSettings
{
    private static readonly Lazy<V2VSettings> DefaultSettings = new(() => V2VPropertyReader.Read([]));

    /// <summary>The settings of a node that gives no property: what each property's default is.</summary>
    public static V2VSettings Defaults => DefaultSettings.Value;

    /// <summary>The options of the voice session underneath.</summary>
    public VoiceSessionOptions Session { get; } = new();

    /// <summary>The stream id of the agent's own outputs (its pcm_frame and text_data).</summary>
    public long StreamId { get; set; }

    /// <summary>Greet when a user joins: the greeting, or the language's short hello when none is set.</summary>
    public bool GreetOnJoin { get; set; } = true;

    /// <summary>Retrieve the earlier conversation at start and append each final turn (the original's storage contract).</summary>
    public bool EnableStorage { get; set; }

    /// <summary>The remote MCP server of the <c>mcp_*</c> properties, as read so far.</summary>
    public McpServerProperties Mcp { get; } = new();

    /// <summary>The remote MCP servers of the <c>mcp_servers</c> list.</summary>
    public List<McpServer> McpServers { get; } = [];

    /// <summary>What the agent says when a user joins: null when it says nothing.</summary>
    public string? GreetingToSay => !GreetOnJoin ? null : string.IsNullOrWhiteSpace(Session.Greeting) ? GreetingText.For(Session.Language) : Session.Greeting;

    /// <summary>No key and no endpoint of the node's own: the host's key-less endpoint must answer.</summary>
    public bool NeedsKeylessEndpoint => string.IsNullOrEmpty(Session.Connection.ApiKey) && Session.Connection.BaseUri is null;
}
