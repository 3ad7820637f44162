using V2V.Voice.Transcripts;

namespace V2V.Voice.Tests.Transcripts;

public sealed class SentenceSplitterTests
{
    [Theory]
    [InlineData(new[] { "Hello there. How ", "are you? Fine" }, new[] { "Hello there.", " How are you?" }, " Fine")]
    [InlineData(new[] { "It costs 3.", "14 euros. Yes" }, new[] { "It costs 3.14 euros." }, " Yes")]
    [InlineData(new[] { "你好。今天", "天气很好！明天" }, new[] { "你好。", "今天天气很好！" }, "明天")]
    [InlineData(new[] { "Wait... ", "what?" }, new[] { "Wait...", " what?" }, "")]
    [InlineData(new[] { "Done. ", "", "..." }, new[] { "Done." }, " ...")]
    [InlineData(new[] { "The end." }, new string[0], "The end.")]
    public void Deltas_AreCutIntoSentences_AtLatinAndCjkPunctuation(string[] deltas, string[] sentences, string rest)
    {
        var splitter = new SentenceSplitter();
        var found = new List<string>();

        foreach (var delta in deltas)
        {
            splitter.Add(delta, found);
        }

        Assert.Equal(sentences, found);
        Assert.Equal(rest, splitter.TakeRest());
    }
}

public sealed class SentenceSplitterBoundTests
{
    [Fact]
    public void TextWithoutPunctuation_IsCutAtTheBound()
    {
        var splitter = new SentenceSplitter();
        var found = new List<string>();

        splitter.Add(new string('a', SentenceSplitter.MaxPending * 3 + 5), found);

        Assert.Equal(3, found.Count);
        Assert.All(found, s => Assert.Equal(SentenceSplitter.MaxPending, s.Length));
        Assert.Equal(5, splitter.TakeRest().Length);
    }
}
