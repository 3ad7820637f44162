using System.Text.Json.Nodes;
using V2V.Ten;

namespace V2V.Graph.Tests.Support;

/// <summary>Makes addons for test extensions from a manifest written inline.</summary>
public static class TestAddon
{
    /// <summary>An addon whose manifest declares no messages (the validator is lenient) and any listed properties.</summary>
    public static ExtensionAddon Create(string name, Func<Extension> create, string api = "{}", string defaults = "{}") =>
        new(name, TenManifest.Parse($$"""{ "type": "extension", "name": "{{name}}", "api": {{api}} }"""), (JsonObject)JsonNode.Parse(defaults)!, create);
}
