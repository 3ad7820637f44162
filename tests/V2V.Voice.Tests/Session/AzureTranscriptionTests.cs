using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// On Azure the transcription model is a deployment of the resource: there is no name that works everywhere. Without
/// one the session runs without transcription and says so once, with the fix (the extension and the CLI turn
/// transcription on by default, so refusing to start would break them on Azure).
/// </summary>
public sealed class AzureTranscriptionTests
{
    [Fact]
    public async Task Azure_WithoutATranscriptionModel_RunsWithoutTranscription_AndSaysSoOnce_NamingTheSetting()
    {
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.InputTranscript = true;
            o.Connection.Vendor = RealtimeVendor.Azure;
        }, s => s.Profile = ServiceProfile.Azure);

        await harness.Session.SendTextAsync("hello", TestContext.Current.CancellationToken);
        var outputs = await harness.WaitForAsync(SessionHarness.HasFinalAssistantTranscript, "the answer");

        var warning = Assert.Single(outputs.OfType<ErrorOutput>());
        Assert.False(warning.Fatal);
        Assert.Contains(nameof(VoiceSessionOptions.TranscriptionModel), warning.Message, StringComparison.Ordinal);
        Assert.Contains("deployment", warning.Message, StringComparison.Ordinal);
        var transcription = harness.Sent("session.update")[0].GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("transcription");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, transcription.ValueKind);
    }

    [Fact]
    public async Task OpenAi_WithoutATranscriptionModel_AsksForWhisper()
    {
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.AudioOut = false;
            o.InputTranscript = true;
        });

        var model = harness.Sent("session.update")[0].GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("transcription").GetProperty("model");
        Assert.Equal(VoiceSessionOptions.DefaultOpenAiTranscriptionModel, model.GetString());
        Assert.DoesNotContain(harness.Outputs, o => o is ErrorOutput);
    }
}
