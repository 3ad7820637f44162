namespace V2V.Ten;

/// <summary>
/// A kind of extension that graphs instantiate by its addon name (e.g. <c>openai_v2v</c>), with its manifest
/// (the API and the property schema) and its default properties (property.json).
/// </summary>
public sealed class ExtensionAddon
{
    /// <summary>Creates an addon.</summary>
    public ExtensionAddon(string name, TenManifest manifest, System.Text.Json.Nodes.JsonObject defaultProperties, Func<Extension> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Manifest = manifest;
        DefaultProperties = defaultProperties;
        Create = create;
    }

    /// <summary>The addon name that graph nodes refer to.</summary>
    public string Name { get; }

    /// <summary>The manifest: its <c>api.property</c> validates the properties of every instance.</summary>
    public TenManifest Manifest { get; }

    /// <summary>The defaults of property.json (may hold <c>${env:NAME}</c>).</summary>
    public System.Text.Json.Nodes.JsonObject DefaultProperties { get; }

    /// <summary>Makes a new instance.</summary>
    public Func<Extension> Create { get; }
}
