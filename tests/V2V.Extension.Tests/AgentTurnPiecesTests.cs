using V2V.Voice.Outputs;

namespace V2V.Extension.Tests;

/// <summary>The collector gets no empty agent message for a turn of which nothing went out, neither words nor voice.</summary>
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
        pieces.OnVoice();
        Assert.True(pieces.ShouldSend(Close("", interrupted: true)));  // voice was heard, no words yet: still closed
        Assert.False(pieces.ShouldSend(Close("")));
    }
}
