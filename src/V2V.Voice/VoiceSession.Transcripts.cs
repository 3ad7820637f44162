using V2V.Voice.Outputs;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    private readonly List<TranscriptOutput> _pieceScratch = [];

    /// <summary>A delta of the agent's words: each completed sentence goes out as a not-final piece.</summary>
    private async ValueTask OnAssistantTextAsync(string itemId, string delta, CancellationToken ct)
    {
        _pieceScratch.Clear();
        _transcript.Add(itemId, delta, _pieceScratch);
        foreach (var piece in _pieceScratch)
        {
            await EmitAsync(piece, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the agent's turn with one final piece; the history keeps the whole text (for an interrupted turn, what was said so far).</summary>
    private async ValueTask CloseAssistantTurnAsync(string? fullText, bool interrupted, CancellationToken ct)
    {
        var (final, text) = _transcript.Close(fullText, interrupted);
        if (!string.IsNullOrWhiteSpace(text))
        {
            _history.AddAssistant(text);
        }
        await EmitAsync(final, ct).ConfigureAwait(false);
    }
}
