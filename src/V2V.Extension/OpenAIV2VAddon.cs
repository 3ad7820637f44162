using System.Text.Json.Nodes;
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
    public static ExtensionAddon Create(KeylessEndpoint? keylessEndpoint = null, string name = Name)
    {
        var defaults = JsonNode.Parse(Resource("property.json"))!.AsObject();
        var keyVariables = EnvironmentReferences.In(defaults["api_key"]);
        return new(name, TenManifest.Parse(Resource("manifest.json"), "openai_v2v/manifest.json"), defaults,
            () => new OpenAIV2VExtension(keylessEndpoint, keyVariables));
    }

    /// <summary>The addon under each of its names (<see cref="Name"/> and <see cref="PythonName"/>), to register them all.</summary>
    public static IReadOnlyList<ExtensionAddon> CreateAll(KeylessEndpoint? keylessEndpoint = null) =>
        [Create(keylessEndpoint), Create(keylessEndpoint, PythonName)];

    private static string Resource(string file)
    {
        using var stream = typeof(OpenAIV2VAddon).Assembly.GetManifestResourceStream($"{Name}.{file}")
            ?? throw new InvalidOperationException($"{Name}/{file} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
