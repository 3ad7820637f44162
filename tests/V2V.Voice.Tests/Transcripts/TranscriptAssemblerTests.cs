using V2V.Voice.Outputs;
using V2V.Voice.Transcripts;

namespace V2V.Voice.Tests.Transcripts;

public sealed class TranscriptAssemblerTests
{
    [Fact]
    public void Sentences_GoOutAsTheyComplete_ThenTheRestIsFinal_AndTheHistoryGetsTheWholeText()
    {
        var assembler = new TranscriptAssembler();
        var pieces = new List<TranscriptOutput>();

        assembler.Add("item_1", "Hello there. How ", pieces);
        assembler.Add("item_1", "are you", pieces);
        var (final, text) = assembler.Close(null, interrupted: true);

        Assert.Equal(["Hello there."], pieces.Select(p => p.Text.Trim()));
        Assert.All(pieces, p => Assert.False(p.IsFinal));
        Assert.True(final.IsFinal);
        Assert.True(final.Interrupted);
        Assert.Equal("item_1", final.ItemId);
        Assert.Contains("are you", final.Text, StringComparison.Ordinal);
        Assert.Equal("Hello there. How are you", text);
        Assert.False(assembler.IsOpen);
    }

    [Fact]
    public void TheServersFullText_WinsForTheHistory_AndATurnThatNeverEndsIsBounded()
    {
        var assembler = new TranscriptAssembler();
        var pieces = new List<TranscriptOutput>();
        var chunk = new string('a', 1000);
        for (var i = 0; i < 100; i++)
        {
            assembler.Add("item_1", chunk, pieces);
        }

        var (_, text) = assembler.Close(null, interrupted: false);
        Assert.True(text.Length <= TranscriptAssembler.MaxTurnText);

        assembler.Add("item_2", "Partial", pieces);
        Assert.Equal("Complete text.", assembler.Close("Complete text.", interrupted: false).Text);
    }
}
