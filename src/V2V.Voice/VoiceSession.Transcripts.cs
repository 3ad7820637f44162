using System.Text;
using V2V.Voice.Outputs;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    private bool _assistantTurnOpen;
    private string? _assistantItemId;
    private readonly StringBuilder _assistantText = new();

    // The whole text of a turn is kept for the history; a turn that never ends must not grow it without bound.
    private const int MaxTurnText = 64 * 1024;

    /// <summary>A delta of the agent's words: each completed sentence goes out as a not-final piece.</summary>
    private async ValueTask OnAssistantTextAsync(string itemId, string delta, CancellationToken ct)
    {
        _assistantTurnOpen = true;
        _assistantItemId = itemId;
        if (_assistantText.Length + delta.Length <= MaxTurnText)
        {
            _assistantText.Append(delta);
        }
        _sentenceScratch.Clear();
        _sentences.Add(delta, _sentenceScratch);
        foreach (var sentence in _sentenceScratch)
        {
            await EmitAsync(new TranscriptOutput(TranscriptRole.Assistant, sentence, false, false, false, itemId), ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes the agent's turn with one final piece: the rest of the last sentence (empty when the turn ended
    /// on a full stop). The history keeps the whole text (for an interrupted turn, what was said so far).
    /// </summary>
    private async ValueTask CloseAssistantTurnAsync(string? fullText, bool interrupted, CancellationToken ct)
    {
        var rest = _sentences.TakeRest();
        var text = fullText ?? _assistantText.ToString();
        if (!string.IsNullOrWhiteSpace(text))
        {
            _history.AddAssistant(text);
        }
        await EmitAsync(new TranscriptOutput(TranscriptRole.Assistant, rest, true, true, interrupted, _assistantItemId), ct).ConfigureAwait(false);
        _assistantText.Clear();
        _assistantTurnOpen = false;
        _assistantItemId = null;
    }
}
