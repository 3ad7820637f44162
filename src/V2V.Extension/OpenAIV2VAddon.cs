using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using V2V.Ten;

namespace V2V.Extension;

/// <summary>
/// The addon <c>openai_v2v</c>: its manifest, its property.json defaults, and a factory of instances. It answers to
/// <c>openai_v2v_python</c> too (<see cref="CreateAll"/>), so TEN-Agent's graphs run with it unchanged.
/// </summary>
public static class OpenAIV2VAddon
{
    /// <summary>The addon name graphs refer to.</summary>
    public const string Name = "openai_v2v";

    /// <summary>The name of the Python original, which TEN-Agent's graphs use.</summary>
    public const string PythonName = "openai_v2v_python";

    /// <summary>The addon, ready to register with a graph host.</summary>
    /// <param name="keylessEndpoint">
    /// Where a node with neither <c>api_key</c> nor <c>base_uri</c> connects; null: such a node fails to start, naming
    /// <c>api_key</c>.
    /// </param>
    /// <param name="name">The addon name graphs use: <see cref="Name"/>, or <see cref="PythonName"/> for the same extension.</param>
    /// <param name="tools">
    /// Functions of the host (<c>AIFunctionFactory.Create(method)</c>) every node of the addon offers the model, beside
    /// the tools the graph's nodes register; both kinds are called the same way.
    /// </param>
    public static ExtensionAddon Create(KeylessEndpoint? keylessEndpoint = null, string name = Name, IReadOnlyList<AIFunction>? tools = null)
    {
        var defaults = JsonNode.Parse(Resource("property.json"))!.AsObject();
        var keyVariables = EnvironmentReferences.In(defaults["api_key"]);
        return new(name, TenManifest.Parse(Resource("manifest.json"), "openai_v2v/manifest.json"), defaults,
            () => new OpenAIV2VExtension(keylessEndpoint, keyVariables, tools));
    }

    /// <summary>
    /// Checks a node's resolved properties as the node will when it starts (types, ranges, what the layers below refuse),
    /// so that a host can refuse a bad value before any session; throws <see cref="TenPropertyException"/> naming the
    /// property and what it accepts.
    /// </summary>
    public static void CheckProperties(JsonObject properties) => _ = Properties.V2VPropertyReader.Read(properties);

    /// <summary>The addon under each of its names (<see cref="Name"/> and <see cref="PythonName"/>), to register them all.</summary>
    /// <param name="keylessEndpoint">As <see cref="Create"/>'s.</param>
    /// <param name="tools">As <see cref="Create"/>'s.</param>
    public static IReadOnlyList<ExtensionAddon> CreateAll(KeylessEndpoint? keylessEndpoint = null, IReadOnlyList<AIFunction>? tools = null) =>
        [Create(keylessEndpoint, tools: tools), Create(keylessEndpoint, PythonName, tools)];

    private static string Resource(string file)
    {
        using var stream = typeof(OpenAIV2VAddon).Assembly.GetManifestResourceStream($"{Name}.{file}")
            ?? throw new InvalidOperationException($"{Name}/{file} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
