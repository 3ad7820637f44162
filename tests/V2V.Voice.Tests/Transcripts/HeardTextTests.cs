using V2V.Voice.Transcripts;

namespace V2V.Voice.Tests.Transcripts;

/// <summary>How much of a cut answer's words were heard, from the share of its audio played.</summary>
public sealed class HeardTextTests
{
    private const string Sentence = "I heard 2.80 seconds of your speech, and here it is back.";

    [Fact]
    public void NearlyAllOfTheAudioPlayed_HearsEveryWholeWord_NotTheOneCut()
    {
        var chars = HeardText.Chars(Sentence, toldChars: 0, playedMs: 2760, wholeMs: 2800);

        Assert.Equal("I heard 2.80 seconds of your speech, and here it is", Sentence[..chars]);
    }

    [Fact]
    public void AQuarterPlayed_HearsTheWordsOfTheFirstQuarter_EndingAtAWordsEnd()
    {
        // 57 characters; a quarter is 14, inside "seconds": the heard words end before it.
        var chars = HeardText.Chars(Sentence, toldChars: 0, playedMs: 700, wholeMs: 2800);

        Assert.Equal("I heard 2.80", Sentence[..chars]);
    }

    [Fact]
    public void TheSentencesAlreadyTold_AreNeverTakenBack()
    {
        const string text = "Yes. The sea is wide and deep.";
        // Played 10% (3 characters' worth), but its first sentence was released, heard, already.
        Assert.Equal(4, HeardText.Chars(text, toldChars: 4, playedMs: 100, wholeMs: 1000));
        // Played beyond it: the words after it that were heard.
        Assert.Equal("Yes. The sea is", text[..HeardText.Chars(text, toldChars: 4, playedMs: 550, wholeMs: 1000)]);
    }

    [Fact]
    public void NothingPlayed_OrNoLength_IsWhatWasTold_AndAllPlayedIsAll()
    {
        Assert.Equal(0, HeardText.Chars(Sentence, 0, playedMs: 0, wholeMs: 2800));
        Assert.Equal(5, HeardText.Chars(Sentence, 5, playedMs: 500, wholeMs: 0));
        Assert.Equal(Sentence.Length, HeardText.Chars(Sentence, 0, playedMs: 2800, wholeMs: 2800));
    }

    [Fact]
    public void WithinTheFirstWord_NothingIsHeard()
    {
        Assert.Equal(0, HeardText.Chars("Extraordinary things happen.", 0, playedMs: 100, wholeMs: 2000));
    }

    [Fact]
    public void AScriptWithoutSpaces_IsCutAtACharacter()
    {
        const string text = "今天天气很好，我们去海边吧。";
        var chars = HeardText.Chars(text, 0, playedMs: 500, wholeMs: 1000);

        Assert.Equal(text.Length / 2, chars);
    }
}
