using V2V.Voice.Outputs;

namespace V2V.Extension.Tests;

/// <summary>The collector gets no empty agent message for a turn none of whose words went out, even when some of its voice did.</summary>
public sealed class AgentTurnPiecesTests
{
    private static TranscriptOutput Piece(string text) => new(TranscriptRole.Assistant, text, false, false, false, "item_1");

    private static TranscriptOutput Close(string text, bool interrupted = false) => new(TranscriptRole.Assistant, text, true, true, interrupted, "item_1");

    [Fact]
    public void ATurnCutBeforeAnyOfItsWordsWentOut_SendsNothing_WhileEveryOtherClosingPieceGoesOut()
    {
        var pieces = new AgentTurnPieces();

        Assert.False(pieces.ShouldSend(Close("", interrupted: true))); // the greeting, spoken over at once
        Assert.True(pieces.ShouldSend(Piece("Hello there. ")));
        Assert.True(pieces.ShouldSend(Close("", interrupted: true)));  // closes what the collector holds
        Assert.True(pieces.ShouldSend(Close("Fine, thanks.")));        // a whole turn in its closing piece
        Assert.False(pieces.ShouldSend(Close("")));
        Assert.False(pieces.ShouldSend(Piece("")));                    // an empty piece is no word
        Assert.False(pieces.ShouldSend(Close("", interrupted: true))); // voice was heard, no words yet: the flush says it
        Assert.True(pieces.ShouldSend(Piece("Let me see. ")));
        Assert.False(pieces.ShouldSend(Piece("")));
        Assert.True(pieces.ShouldSend(Close("")));
    }
}
