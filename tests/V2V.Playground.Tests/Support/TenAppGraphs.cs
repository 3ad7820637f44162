using V2V.Extension;
using V2V.Graph;
using V2V.Graph.Definition;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Playground.Tests.Support;

/// <summary>TEN-Agent's <c>voice_assistant_realtime</c> as <c>v2v serve --graph</c> takes it: its weather tool bound to <c>time_tool</c>.</summary>
internal static class TenAppGraphs
{
    /// <summary>No key from the tests' environment (nor a Twilio token): the local realtime server answers.</summary>
    public static string? Environment(string name) =>
        name is "OPENAI_API_KEY" or "OPENAI_REALTIME_API_KEY" or "TWILIO_AUTH_TOKEN" ? null : System.Environment.GetEnvironmentVariable(name);

    public static PlaygroundGraph VoiceAssistantRealtime()
    {
        var registry = new AddonRegistry().AddBuiltIns();
        foreach (var addon in OpenAIV2VAddon.CreateAll(new KeylessEndpoint("the local realtime server", EmbeddedRealtimeServer.GetAsync)))
        {
            registry.Add(addon);
        }
        return PlaygroundGraph.Create(GraphJson.Load(TenFixtures.PathOf("default.property.json"), "voice_assistant_realtime"), registry,
            new Dictionary<string, string> { ["weatherapi_tool_python"] = "time_tool" }, Environment);
    }
}
