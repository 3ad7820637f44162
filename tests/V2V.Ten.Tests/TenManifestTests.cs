using V2V.Ten;

namespace V2V.Ten.Tests;

public sealed class TenManifestTests
{
    [Fact]
    public void Parse_ReadsTheFlatPropertyMapOfOlderManifests()
    {
        var manifest = TenManifest.Parse("""
            { "type": "extension", "name": "openai_v2v", "version": "0.1.0",
              "api": { "property": { "api_key": { "type": "string" }, "temperature": { "type": "float64" }, "server_vad": { "type": "bool" } } } }
            """);

        Assert.Equal("openai_v2v", manifest.Name);
        Assert.Equal("string", manifest.PropertyTypes["api_key"]);
        Assert.Equal("float64", manifest.PropertyTypes["temperature"]);
        Assert.Equal("bool", manifest.PropertyTypes["server_vad"]);
        Assert.Empty(manifest.RequiredProperties);
    }

    [Fact]
    public void Parse_ReadsNestedPropertiesAndRequiredOfNewerManifests()
    {
        var manifest = TenManifest.Parse("""
            { "type": "extension", "name": "wav_file_source",
              "api": { "property": { "properties": { "path": { "type": "string" }, "frame_ms": { "type": "int64" } }, "required": ["path"] } } }
            """);

        Assert.Equal(["frame_ms", "path"], manifest.PropertyTypes.Keys.Order());
        Assert.Equal(["path"], manifest.RequiredProperties);
    }

    [Fact]
    public void Parse_AcceptsCommentsAndTrailingCommas()
    {
        var manifest = TenManifest.Parse("""
            // a manifest written by hand
            { "name": "x", "api": { "property": { "a": { "type": "string" }, }, }, }
            """);

        Assert.Equal("string", manifest.PropertyTypes["a"]);
    }

    [Fact]
    public void MessageNames_ListsEachKindOfTheApi()
    {
        var manifest = TenManifest.Parse("""
            { "name": "x", "api": {
                "cmd_in": [ { "name": "flush" }, { "name": "tool_register" } ],
                "data_out": [ { "name": "text_data" } ],
                "audio_frame_in": [ { "name": "pcm_frame" } ] } }
            """);

        Assert.Equal(["flush", "tool_register"], manifest.MessageNames("cmd_in"));
        Assert.Equal(["text_data"], manifest.MessageNames("data_out"));
        Assert.Equal(["pcm_frame"], manifest.MessageNames("audio_frame_in"));
        Assert.Empty(manifest.MessageNames("cmd_out"));
    }

    [Fact]
    public void Parse_PropertyWithoutType_NamesTheProperty()
    {
        var ex = Assert.Throws<TenManifestException>(() => TenManifest.Parse("""{ "name": "x", "api": { "property": { "voice": {} } } }""", "x/manifest.json"));

        Assert.Contains("x/manifest.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'voice'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingName_SaysSo()
    {
        var ex = Assert.Throws<TenManifestException>(() => TenManifest.Parse("""{ "api": {} }"""));

        Assert.Contains("\"name\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidJson_SaysWhere()
    {
        var ex = Assert.Throws<TenManifestException>(() => TenManifest.Parse("{ \"name\": ", "broken.json"));

        Assert.Contains("broken.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }
}
