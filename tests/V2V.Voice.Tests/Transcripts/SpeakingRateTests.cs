using V2V.Voice.Transcripts;

namespace V2V.Voice.Tests.Transcripts;

/// <summary>The pace of the voice, learned from answers heard whole, and what it lets a cut answer claim.</summary>
public sealed class SpeakingRateTests
{
    [Fact]
    public void NothingIsClaimed_UntilAnAnswerLongEnoughWasHeardWhole()
    {
        var rate = new SpeakingRate();
        Assert.Null(rate.HeardChars(1000, 100, 2000));
        rate.Learn(5, 2000);   // "Okay." says little about the pace
        rate.Learn(40, 300);   // nor does a blip of audio
        Assert.Null(rate.CharsPerMs);

        rate.Learn(30, 2000);
        Assert.Equal(0.015, rate.CharsPerMs!.Value, 6);
    }

    [Fact]
    public void TheClaim_IsThePaceLessTheMargin_AndNeverMoreThanThePlayedShareOfTheWordsReceived()
    {
        var rate = new SpeakingRate();
        rate.Learn(30, 2000); // 15 characters a second

        // Words far ahead of the audio (the service's way): the pace decides.
        Assert.Equal(1000 * 0.015 * SpeakingRate.Margin, rate.HeardChars(1000, 200, 1500)!.Value, 6);
        // Words slower than the audio (20 characters for 2 s received): half of them for half the audio, below the pace.
        Assert.Equal(10, rate.HeardChars(1000, 20, 2000)!.Value, 6);
    }

    [Fact]
    public void ThePace_FollowsTheLastAnswers()
    {
        var rate = new SpeakingRate();
        for (var i = 0; i < 8; i++)
        {
            rate.Learn(30, 2000); // 15 a second: an English voice
        }
        for (var i = 0; i < 8; i++)
        {
            rate.Learn(10, 2000); // 5 a second: the conversation went on in Chinese
        }
        Assert.Equal(0.005, rate.CharsPerMs!.Value, 6);
    }
}
