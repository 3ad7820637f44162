using V2V.Voice.Outputs;

namespace V2V.Extension.Tests;

/// <summary>The collector never gets an empty agent message: a turn cut before any of it was heard sends nothing.</summary>
public sealed class AgentTurnPiecesTests
{
    private static TranscriptOutput Piece(string text) => new(TranscriptRole.Assistant, text, false, false, false, "item_1");

    private static TranscriptOutput Close(string text, bool interrupted = false) => new(TranscriptRole.Assistant, text, true, true, interrupted, "item_1");

    [Fact]
    public void ATurnCutBeforeAnyOfItWasHeard_SendsNothing_WhileEveryOtherClosingPieceGoesOut()
    {
        var pieces = new AgentTurnPieces();

        Assert.False(pieces.ShouldSend(Close("", interrupted: true))); // the greeting, spoken over at once
        Assert.True(pieces.ShouldSend(Piece("Hello there. ")));
        Assert.True(pieces.ShouldSend(Close("", interrupted: true)));  // closes what the collector holds
        Assert.True(pieces.ShouldSend(Close("Fine, thanks.")));        // a whole turn in its closing piece
        Assert.False(pieces.ShouldSend(Close("")));
    }
}
