using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// Two answers in a row, the second asked for behind the first: the service sends an answer faster than it is played,
/// so the second may come whole while the first still plays, before the listener has heard any of it. Once it is heard,
/// it is over like any other.
/// </summary>
public sealed class AnswerQueuedBehindAnotherTests
{
    [Fact]
    public async Task AnAnswerThatCameWholeWhileAnotherPlayed_OnceHeard_IsNotAskedForAgainOnTheNextConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await PushToTalkSession.StartAsync(s =>
        {
            s.GenerationSpeed = 8; // the second answer comes whole within the first's first second of voice
            s.Faults.FirstResponseDelay = TimeSpan.FromSeconds(1); // the first answer's create is still on its way...
            s.Faults.FirstResponseDelayConnections = 1;
        });

        // ... when a second push-to-talk turn ends: its answer is asked for after the first's (one response at a time).
        await harness.SendAsync(Speech.Pcm16("What is the weather like in Paris today?", 16000, 1), 16000, 1);
        Assert.True(await harness.Session.EndTurnAsync(ct));
        await harness.WaitForSentAsync("response.create");
        await harness.SendAsync(Speech.Pcm16("And tomorrow?", 16000, 1), 16000, 1);
        Assert.True(await harness.Session.EndTurnAsync(ct));
        await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Count(t => t.Role == TranscriptRole.Assistant && t.IsFinal) >= 2,
            "both answers heard whole", guardSeconds: 60);
        Assert.Equal(2, harness.Sent("response.create").Count);

        // Then, all quiet, the connection is lost (at the server's next event: the session.updated of a tool registered).
        harness.LoseTheConnectionAtTheServersNextEvent();
        await harness.Session.RegisterToolAsync(Microsoft.Extensions.AI.AIFunctionFactory.Create(() => "12:00", "get_time"), ct);
        await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "the next connection");
        // (The lost connection's last session.updated may be lost with it: the next connection's is looked for after its session.created.)
        await harness.WaitForAsync(_ => harness.ReceivedEvents.SkipWhile(e => e != "session.created").Skip(1).SkipWhile(e => e != "session.created").Contains("session.updated"),
            "the next connection configured");
        await Task.Delay(TimeSpan.FromSeconds(1), ct); // an answer asked for on going live would be asked by now

        // Both answers were heard: the next connection is asked for nothing (the model would say the second again).
        Assert.Equal(2, harness.Sent("response.create").Count);
        Assert.Empty(harness.Outputs.OfType<ErrorOutput>());
    }
}
