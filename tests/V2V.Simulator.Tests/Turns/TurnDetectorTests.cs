using V2V.Simulator.Tests.Support;
using V2V.Simulator.Turns;
using V2V.Simulator.Vad;

namespace V2V.Simulator.Tests.Turns;

/// <summary>Turn detection on plain sample arrays: no socket, no clock; positions are session time in samples.</summary>
public sealed class TurnDetectorTests
{
    private const int PerMs = TestAudio.SamplesPerMs;
    private static readonly TurnDetectionSettings Vad = new() { PrefixPaddingMs = 300, SilenceDurationMs = 200 };

    [Fact]
    public void Speech_StartsAtItsOnsetMinusThePadding_StopsAfterTheSilence_AndIsTakenAsOneTurn()
    {
        var turns = new TurnDetector();
        turns.Append(TestAudio.TurnSamples(silenceBeforeMs: 500, speechMs: 1000, silenceAfterMs: 800));

        var events = turns.DetectTurns(Vad).ToList();

        Assert.Collection(
            events,
            e => Assert.Equal((500 - 300) * PerMs, Assert.IsType<SpeechStarted>(e).AudioStartSample),
            e => Assert.Equal((1500 + 200) * PerMs, Assert.IsType<SpeechStopped>(e).AudioEndSample));
        var started = (SpeechStarted)events[0];
        var stopped = (SpeechStopped)events[1];
        Assert.Equal(started.ItemId, stopped.Commit.ItemId);
        Assert.Equal((1700 - 200) * PerMs, stopped.Commit.Audio.Length);
        Assert.Equal("input_audio_buffer.speech_started", started.ToEvent()["type"]!.GetValue<string>());
        Assert.Equal(200, started.ToEvent()["audio_start_ms"]!.GetValue<int>());
        Assert.Equal(1700, stopped.ToEvent()["audio_end_ms"]!.GetValue<int>());
    }

    [Fact]
    public void AClickShorterThanTheMinimumSpeech_IsNoTurn()
    {
        var turns = new TurnDetector();
        turns.Append(TestAudio.TurnSamples(100, EnergyVad.MinSpeechMs - EnergyVad.FrameMs, 500));

        Assert.Empty(turns.DetectTurns(Vad));
    }

    [Fact]
    public void TwoTurnsInOneAppend_ComeInOrder_EachStopCommittingItsOwnItem()
    {
        var turns = new TurnDetector();
        turns.Append([.. TestAudio.TurnSamples(500, 600, 400), .. TestAudio.TurnSamples(0, 700, 400)]);

        var events = turns.DetectTurns(Vad).ToList();

        Assert.Equal([typeof(SpeechStarted), typeof(SpeechStopped), typeof(SpeechStarted), typeof(SpeechStopped)], events.Select(e => e.GetType()));
        Assert.Equal(((SpeechStarted)events[0]).ItemId, ((SpeechStopped)events[1]).Commit.ItemId);
        Assert.Equal(((SpeechStarted)events[2]).ItemId, ((SpeechStopped)events[3]).Commit.ItemId);
        Assert.NotEqual(((SpeechStarted)events[0]).ItemId, ((SpeechStarted)events[2]).ItemId);
    }

    [Fact]
    public void ATurnAcrossAppends_StartsInOne_AndStopsInTheNext()
    {
        var turns = new TurnDetector();
        var audio = TestAudio.TurnSamples(200, 800, 500);
        var half = 600 * PerMs;

        turns.Append(audio.AsSpan(0, half));
        var first = Assert.IsType<SpeechStarted>(Assert.Single(turns.DetectTurns(Vad)));
        Assert.Null(turns.CheckIdle(Vad, responseActive: false));
        turns.Append(audio.AsSpan(half));
        var second = Assert.IsType<SpeechStopped>(Assert.Single(turns.DetectTurns(Vad)));

        Assert.Equal(first.ItemId, second.Commit.ItemId);
        Assert.Equal((1000 + 200) * PerMs, second.AudioEndSample);
    }

    [Fact]
    public void ManualCommit_UnderTheMinimum_IsRefused_AndLeavesTheAudio()
    {
        var turns = new TurnDetector();
        turns.Append(new short[50 * PerMs]);

        Assert.Null(turns.Commit());
        Assert.Equal(50, turns.BufferedMs);
    }

    [Fact]
    public void ManualCommit_TakesTheWholeBuffer_AsTheItemOfTheSpeechInProgress_AndEndsThatSpeech()
    {
        var (turns, started) = MidTurn();

        var commit = turns.Commit();

        Assert.NotNull(commit);
        Assert.Equal(started.ItemId, commit.ItemId);
        Assert.Equal(800 * PerMs, commit.Audio.Length);
        Assert.Equal(0, turns.BufferedMs);
        AssertNoSpeechLeftToStop(turns);
    }

    [Fact]
    public void Clear_ForgetsTheAudioAndTheSpeechInProgress()
    {
        var (turns, _) = MidTurn();

        turns.Clear();

        Assert.Equal(0, turns.BufferedMs);
        AssertNoSpeechLeftToStop(turns);
    }

    [Fact]
    public void BetweenTurns_TheBufferKeepsOnlyWhatCouldBeTheNextTurnsPrefix()
    {
        var turns = new TurnDetector();
        turns.Append(new short[2000 * PerMs]);

        Assert.Empty(turns.DetectTurns(Vad));
        Assert.Null(turns.CheckIdle(Vad, responseActive: false));

        Assert.Equal(Vad.PrefixPaddingMs + EnergyVad.FrameMs + EnergyVad.MinSpeechMs, turns.BufferedMs);
        Assert.Equal(2000 * PerMs, turns.EndSample);
    }

    [Fact]
    public void IdleTimeout_AfterIdleMsOfSilence_CommitsTheHeldSilence_Once()
    {
        var turns = new TurnDetector();
        var idle = Vad with { IdleTimeoutMs = 5000 };
        turns.Append(new short[4990 * PerMs]);
        Assert.Empty(turns.DetectTurns(idle));
        Assert.Null(turns.CheckIdle(idle, responseActive: false));

        turns.Append(new short[10 * PerMs]);
        Assert.Empty(turns.DetectTurns(idle));
        var timedOut = turns.CheckIdle(idle, responseActive: false);

        Assert.NotNull(timedOut);
        Assert.Equal(0, timedOut.AudioStartSample);
        Assert.Equal(5000 * PerMs, timedOut.AudioEndSample);
        Assert.Equal((340 + 10) * PerMs, timedOut.Commit.Audio.Length); // the kept prefix and the last append
        Assert.Equal(timedOut.Commit.ItemId, timedOut.ToEvent()["item_id"]!.GetValue<string>());

        turns.Append(new short[6000 * PerMs]);
        Assert.Null(turns.CheckIdle(idle, responseActive: false));
    }

    [Fact]
    public void IdleTime_CountsFromTheEndOfSpeech_AndFromWhenTheListenerHasHeardTheAnswer()
    {
        var turns = new TurnDetector();
        var idle = Vad with { IdleTimeoutMs = 5000 };
        turns.Append(TestAudio.TurnSamples(0, 500, 4800));
        Assert.Equal(2, turns.DetectTurns(idle).Count());
        Assert.Null(turns.CheckIdle(idle, responseActive: false));   // 4600 ms since the stop at 700 ms

        turns.ListenerHeardUntil(turns.EndSample + (3000 * PerMs)); // an answer of 3 s, still to be heard
        turns.Append(new short[7000 * PerMs]);
        Assert.Null(turns.CheckIdle(idle, responseActive: false));   // 4000 ms after it was heard
        turns.Append(new short[1000 * PerMs]);

        var timedOut = turns.CheckIdle(idle, responseActive: false);
        Assert.NotNull(timedOut);
        Assert.Equal((5300 + 3000) * PerMs, timedOut.AudioStartSample);
    }

    [Fact]
    public void NoIdleTimeout_WhileAResponseIsActive()
    {
        var turns = new TurnDetector();
        var idle = Vad with { IdleTimeoutMs = 5000 };
        turns.Append(new short[6000 * PerMs]);

        Assert.Null(turns.CheckIdle(idle, responseActive: true));
        Assert.NotNull(turns.CheckIdle(idle, responseActive: false));
    }

    [Fact]
    public void RestartDetection_DropsTheSpeechInProgress()
    {
        var (turns, _) = MidTurn();

        turns.RestartDetection();

        AssertNoSpeechLeftToStop(turns);
    }

    /// <summary>A detector in the middle of a turn: 600 ms of speech after 200 ms of silence, not stopped yet.</summary>
    private static (TurnDetector Turns, SpeechStarted Started) MidTurn()
    {
        var turns = new TurnDetector();
        turns.Append(TestAudio.TurnSamples(200, 600, 0));
        return (turns, Assert.IsType<SpeechStarted>(Assert.Single(turns.DetectTurns(Vad))));
    }

    /// <summary>A second of silence would stop any speech still in progress: nothing stops.</summary>
    private static void AssertNoSpeechLeftToStop(TurnDetector turns)
    {
        turns.Append(new short[1000 * PerMs]);
        Assert.Empty(turns.DetectTurns(Vad));
    }
}
