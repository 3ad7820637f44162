using V2V.Simulator;
using V2V.Testing;
using V2V.Voice.Input;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// What a session keeps of the user's voice across turns: the question, for a new connection to hear again, only until
/// the user hears its answer begin. Kept until the answer's end, every session would hold each question for the whole
/// answer (seconds of audio per session, twice the memory at a hundred sessions: the load harness saw it once).
/// </summary>
public sealed class OpenTurnLetGoTests
{
    private const string LongQuestion = "Tell me a long story about the sea, about the ships that sail on it, the fish that swim in it, and the storms that blow over it at night.";

    [Fact]
    public async Task TheQuestion_IsLetGo_OnceItsAnswerIsHeard_WhileTheAnswerIsStillComing()
    {
        // Real time, as a service that streams its answer no faster than it is heard: its end (response.done) comes
        // seconds after its first words are played (the local server echoes the question: an answer of several seconds).
        await using var harness = await SessionHarness.StartAsync(o => o.PaceOutput = true, s =>
        {
            s.SpeedFactor = 1;
            s.Pace = ResponsePace.RealTime;
        });
        var closedTurn = OpenTurnAudio.KeepBeforeATurn.TotalMilliseconds + (2 * new VoiceSessionOptions().VadPrefixPaddingMs);

        // A question of several seconds: far longer than the stretch kept while no turn is open.
        await harness.SendAsync(Speech.Pcm16(LongQuestion, 16000, 1), 16000, 1);
        await harness.WaitForAsync(o => o.OfType<HeardAudio>().Count() >= 20, "200 ms of the answer played");
        // Whether the answer had all come is read before each look at what is kept: a look that finds the question let
        // go then says the answer was still coming, however late this thread runs.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        bool answerDone;
        while (true)
        {
            answerDone = harness.ReceivedEvents.Contains("response.done");
            if (harness.Session.OpenTurnKeptMs <= closedTurn || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(harness.Session.OpenTurnKeptMs <= closedTurn, $"still keeping {harness.Session.OpenTurnKeptMs} ms of the user's audio 30 s after the answer was heard (a closed turn keeps {closedTurn} ms)");
        Assert.False(answerDone, "the question was kept until its answer had all come, not let go as the answer was heard");
    }
}
