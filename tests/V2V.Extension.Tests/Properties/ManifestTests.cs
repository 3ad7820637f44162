using System.Text.Json.Nodes;
using V2V.Extension.Properties;

namespace V2V.Extension.Tests.Properties;

/// <summary>manifest.json and property.json say what the property table says.</summary>
public sealed class ManifestTests
{
    [Fact]
    public void ManifestProperties_AreExactlyTheTablesRows_WithTheirTypes()
    {
        var manifest = OpenAIV2VAddon.Create().Manifest.PropertyTypes;
        var table = PropertyTable.Rows.ToDictionary(r => r.Name, r => r.Type);

        // On a mismatch, the message is the api.property section the table calls for.
        var expected = new JsonObject([.. PropertyTable.Rows.Select(r => KeyValuePair.Create(r.Name, (JsonNode?)new JsonObject { ["type"] = r.Type }))]);
        Assert.True(manifest.Count == table.Count && manifest.All(p => table.TryGetValue(p.Key, out var type) && type == p.Value),
            $"manifest.json api.property.properties should be:\n{expected.ToJsonString()}");
    }

    [Fact]
    public void TheTable_NamesEachPropertyOnce()
    {
        Assert.Equal(PropertyTable.Rows.Count, PropertyTable.Rows.Select(r => r.Name).Distinct().Count());
        Assert.All(PropertyTable.Rows.Where(r => r.AliasOf is not null), alias => Assert.Contains(PropertyTable.Rows, r => r.Name == alias.AliasOf && r.Option == alias.Option));
    }

    [Fact]
    public void PropertyJson_GivesOnlyPropertiesOfTheTable_AndEachIsReadable()
    {
        var defaults = OpenAIV2VAddon.Create().DefaultProperties;

        Assert.All(defaults, p => Assert.Contains(PropertyTable.Rows, r => r.Name == p.Key));
        // The shipped defaults, with the key resolved to none, read without an error.
        var resolved = (JsonObject)defaults.DeepClone();
        resolved["api_key"] = "";
        Assert.True(V2VPropertyReader.Read(resolved).NeedsKeylessEndpoint);
    }
}
