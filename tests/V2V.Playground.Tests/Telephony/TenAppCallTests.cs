using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using V2V.Playground.Tests.Support;

namespace V2V.Playground.Tests.Telephony;

/// <summary>
/// A TEN app's graph answering the phone (<c>v2v serve --graph</c>): TEN-Agent's <c>voice_assistant_realtime</c>, its
/// <c>agora_rtc</c> node played by the call (<c>twilio_rtc</c>), its weather tool bound to <c>time_tool</c>; a scripted
/// Twilio caller over a real WebSocket, the local realtime server behind it.
/// </summary>
public sealed class TenAppCallTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACall_RunsTheAppsGraph_ItsAnswerIsSpokenInMuLawMessagesWithMarks_AndItsCollectorsTranscriptIsLogged()
    {
        var app = TenAppGraphs.VoiceAssistantRealtime();
        var lines = new LogLineWaiter();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(lines).SetMinimumLevel(LogLevel.Information));
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            o.Environment = TenAppGraphs.Environment;
            o.Graph = app;
        });
        await using var caller = await TwilioCaller.ConnectAsync(server.Addresses[0]);
        await caller.StartAsync();
        caller.Say("What is the weather in Paris today?", trailingSilenceMs: 4000);

        // As a phone: every mark is echoed as it comes (the audio before it counts as played).
        var media = 0;
        var wrongSize = 0;
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(90));
        var phone = Task.Run(async () =>
        {
            await foreach (var message in caller.Received.Reader.ReadAllAsync(guard.Token))
            {
                switch (message["event"]?.GetValue<string>())
                {
                    case "media":
                        media++;
                        wrongSize += Convert.FromBase64String(message["media"]!["payload"]!.GetValue<string>()).Length == 160 ? 0 : 1;
                        break;
                    case "mark":
                        await caller.EchoMarkAsync(message["mark"]!["name"]!.GetValue<string>());
                        break;
                }
            }
        }, guard.Token);

        // The echo agent's answer to the question, through the app's message collector to the phone node.
        var answer = await lines.WaitAsync(l => l.Contains(": assistant: ", StringComparison.Ordinal) && l.Contains("I heard", StringComparison.Ordinal)).WaitAsync(guard.Token);

        Assert.StartsWith("Information: Call CA", answer, StringComparison.Ordinal);
        // The app's graph, not the playground's call graph: its agora_rtc node is the phone.
        Assert.Contains(lines.Lines, l => l.Contains("voice_assistant_realtime: node 'agora_rtc' is bound to 'twilio_rtc'", StringComparison.Ordinal));
        Assert.Contains(lines.Lines, l => l.Contains("Call CA", StringComparison.Ordinal) && l.Contains("started", StringComparison.Ordinal));
        Assert.True(media > 25, $"{media} media messages");
        Assert.Equal(0, wrongSize);
        // The graph's own warnings (bindings, the RTC cycle, no key) are the browser's too; none may be about the call.
        var warnings = lines.Lines.Where(l => (l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal))
            && (l.Contains("Call CA", StringComparison.Ordinal) || l.Contains("twilio_rtc:", StringComparison.Ordinal) || l.Contains("media stream", StringComparison.Ordinal))).ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
        await caller.StopAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await caller.Closed.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        await guard.CancelAsync();
        await phone.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }
}
