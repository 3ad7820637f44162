using System.Text;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;
using V2V.Voice.Outputs;

namespace V2V.Extension.Storage;

/// <summary>
/// The storage contract of the original, writing side: each final turn goes out as data <c>append</c>
/// <c>{text, role, stream_id}</c>, in the conversation's order: the user's when its transcription completes, the agent's
/// when it closes, as it was heard (the sentences released with the audio; an interrupted turn ends at the cut). The
/// service transcribes a spoken turn after it has begun answering it, so the answer may close first: a turn that closes
/// while an earlier user turn's transcript is pending waits for it (or for word that it will not come), so that a
/// conversation retrieved later has each question before its answer. One reader (the output bridge).
/// </summary>
internal sealed class TurnAppender(ITenEnv env)
{
    private const int MaxTurnChars = 64 * 1024;

    /// <summary>Turns held at most (pending ones and those behind them); beyond it the oldest pending turn is given up.</summary>
    internal const int MaxHeld = 64;

    private readonly StringBuilder _assistant = new();

    // Oldest first: user turns whose transcript is pending (no text yet), and the closed turns behind them.
    private readonly LinkedList<HeldTurn> _held = new();

    public async ValueTask OnTranscriptAsync(TranscriptOutput transcript, long streamId, CancellationToken cancellationToken)
    {
        if (transcript.Role == TranscriptRole.User)
        {
            if (transcript.IsFinal)
            {
                await AddAsync(transcript.Text, "user", streamId, transcript.ItemId, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        if (_assistant.Length + transcript.Text.Length <= MaxTurnChars)
        {
            _assistant.Append(transcript.Text);
        }
        if (transcript.EndOfSegment)
        {
            var text = _assistant.ToString();
            _assistant.Clear();
            await AddAsync(text, "assistant", streamId, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A user turn's transcript is pending (its place is kept), or will not come (its place goes).</summary>
    public async ValueTask OnUserTranscriptPendingAsync(UserTranscriptPendingOutput pending, CancellationToken cancellationToken)
    {
        if (pending.Pending)
        {
            Hold(new HeldTurn(pending.ItemId));
        }
        else if (FirstAwaited(pending.ItemId) is { } place)
        {
            _held.Remove(place);
        }
        await ReleaseAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The session ended: the closed turns still held behind questions whose words never came are appended, in order
    /// (the questions cannot be), rather than lost.
    /// </summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        while (_held.First is { } first)
        {
            _held.RemoveFirst();
            if (!first.Value.Awaited)
            {
                await AppendAsync(first.Value.Text, first.Value.Role, first.Value.StreamId, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask AddAsync(string text, string role, long streamId, string? itemId, CancellationToken cancellationToken)
    {
        if (itemId is not null && FirstAwaited(itemId) is { } place)
        {
            place.Value.Fill(text, role, streamId);
        }
        else if (_held.Count == 0)
        {
            await AppendAsync(text, role, streamId, cancellationToken).ConfigureAwait(false);
            return;
        }
        else
        {
            var closed = new HeldTurn(null);
            closed.Fill(text, role, streamId);
            Hold(closed);
        }
        await ReleaseAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Holds a turn at the back; beyond <see cref="MaxHeld"/>, the oldest pending one is given up (what waits behind it goes out).</summary>
    private void Hold(HeldTurn turn)
    {
        _held.AddLast(turn);
        if (_held.Count > MaxHeld && FirstAwaited() is { } oldest)
        {
            env.Logger.LogWarning("{Name}: {Count} turns held behind user turns still to be transcribed; the oldest, {Item}, is given up", env.Name, _held.Count, oldest.Value.ItemId);
            _held.Remove(oldest);
        }
    }

    /// <summary>Sends the turns at the front that are no longer waiting.</summary>
    private async ValueTask ReleaseAsync(CancellationToken cancellationToken)
    {
        while (_held.First is { Value.Awaited: false } first)
        {
            _held.RemoveFirst();
            await AppendAsync(first.Value.Text, first.Value.Role, first.Value.StreamId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The oldest user turn still awaiting its transcript (of <paramref name="itemId"/>, when given).</summary>
    private LinkedListNode<HeldTurn>? FirstAwaited(string? itemId = null)
    {
        for (var node = _held.First; node is not null; node = node.Next)
        {
            if (node.Value.Awaited && (itemId is null || node.Value.ItemId == itemId))
            {
                return node;
            }
        }
        return null;
    }

    private ValueTask AppendAsync(string text, string role, long streamId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ValueTask.CompletedTask;
        }
        var data = new DataMessage("append");
        data.Set("text", text).Set("role", role).Set("stream_id", streamId);
        return env.SendDataAsync(data, cancellationToken);
    }

    /// <summary>A turn held for order: a user turn awaiting its transcript (<see cref="ItemId"/> given, no text yet), or a closed one.</summary>
    private sealed class HeldTurn(string? itemId)
    {
        public string? ItemId { get; } = itemId;

        public bool Awaited { get; private set; } = itemId is not null;

        public string Text { get; private set; } = "";

        public string Role { get; private set; } = "";

        public long StreamId { get; private set; }

        public void Fill(string text, string role, long streamId)
        {
            (Text, Role, StreamId, Awaited) = (text, role, streamId, false);
        }
    }
}
