using System.Text.Json.Nodes;
using V2V.Extension.Properties;
using V2V.Realtime.Client;
using V2V.Ten;

namespace V2V.Extension.Tests.Properties;

/// <summary>What a layer below refuses is said in the name of the property that set it, found by the option the layer names.</summary>
public sealed class LowerLayerErrorTests
{
    [Theory]
    [InlineData("sample_rate", 96000, "OutputSampleRate")]
    [InlineData("vad_threshold", 1.5, "VadThreshold")]
    [InlineData("frame_ms", 500, "OutputFrameDuration")]
    [InlineData("tool_timeout_ms", 0, "ToolTimeout")]
    [InlineData("max_history", -1, "MaxHistory")]
    public void TheVoiceSessionsRefusal_NamesTheProperty_AndKeepsItsReason(string property, double value, string option)
    {
        var ex = Assert.Throws<TenPropertyException>(() => V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", [property] = value }));

        Assert.Equal(property, ex.Property);
        Assert.StartsWith($"openai_v2v: property '{property}' is refused: {option} ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARefusedOptionSetByAnAlias_NamesTheAlias()
    {
        var ex = Assert.Throws<TenPropertyException>(() => V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test", ["history"] = -1 }));

        Assert.Equal("history", ex.Property);
    }

    [Fact]
    public void AnArgumentExceptionNamingAConnectionOption_NamesItsProperty()
    {
        // The realtime client's options by their C# names, as a structured ParamName (or a configuration error's option) gives them.
        var error = LowerLayerErrors.ToPropertyError(new ArgumentException("BaseUri must be wss://.", nameof(RealtimeClientOptions.BaseUri)), []);

        Assert.Equal("base_uri", error?.Property);
        Assert.Contains("BaseUri must be wss://.", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRealtimeClientsConfigurationError_NamesTheProperty()
    {
        var ex = Assert.Throws<TenPropertyException>(() => V2VPropertyReader.Read(new JsonObject { ["api_key"] = "sk-test-secret", ["base_uri"] = "ws://example.com" }));

        Assert.Equal("base_uri", ex.Property);
        Assert.DoesNotContain("sk-test-secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnErrorNamingNoOptionOfAProperty_IsLeftAsItIs()
    {
        Assert.Null(LowerLayerErrors.ToPropertyError(new ArgumentException("bad", "somethingElse"), []));
        Assert.Null(LowerLayerErrors.ToPropertyError(new InvalidOperationException("MaxHistory"), []));
    }
}
