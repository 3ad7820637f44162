using System.Text.Json.Nodes;
using V2V.Ten;

namespace V2V.Extension.Tests.Support;

/// <summary>Manifests of the test extensions, in TEN's format.</summary>
internal static class TestManifest
{
    public static TenManifest Create(string name, string[]? cmdIn = null, string[]? dataIn = null, string[]? dataOut = null, string[]? audioIn = null, string[]? cmdOut = null)
    {
        static JsonArray Names(string[]? names) => new([.. (names ?? []).Select(n => (JsonNode)new JsonObject { ["name"] = n })]);
        var manifest = new JsonObject
        {
            ["type"] = "extension",
            ["name"] = name,
            ["version"] = "0.0.1",
            ["api"] = new JsonObject
            {
                ["property"] = new JsonObject(),
                ["cmd_in"] = Names(cmdIn),
                ["cmd_out"] = Names(cmdOut),
                ["data_in"] = Names(dataIn),
                ["data_out"] = Names(dataOut),
                ["audio_frame_in"] = Names(audioIn),
            },
        };
        return TenManifest.Parse(manifest.ToJsonString(), name);
    }
}
