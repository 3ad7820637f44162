using V2V.Voice.Conversation;

namespace V2V.Voice.Turns;

/// <summary>
/// What the session knows of the agent's answers, without a socket: the response in progress, the responses
/// announced and cancelled (output of any other is dropped), and per item how much audio was received, in the order
/// the items came. A barge-in is a function of this state and of what the listener heard (<see cref="BargeIn"/>).
/// Bounded: only the last <see cref="RememberedItems"/> items are kept (older ones have long been played).
/// </summary>
internal sealed class TurnTracker
{
    public const int RememberedItems = 32;

    private readonly RecentIds _announced = new();
    private readonly RecentIds _cancelled = new();
    private readonly RecentIds _madeCalls = new();
    private readonly Dictionary<string, ItemAudio> _items = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>The most items of cancelled responses whose audio came only after the cancel that are remembered to truncate.</summary>
    public const int MaxLateItems = 16;

    // Items of cancelled responses whose audio first came after the cancel (dropped, never heard), in the order they
    // came: each is truncated at 0 once its response is done. Over the bound the oldest is forgotten (it stays whole in
    // the service's conversation, as before this was kept).
    private readonly List<(string ItemId, int ContentIndex, string ResponseId)> _lateItems = [];

    /// <summary>The response the server is generating (between response.created and response.done), if any.</summary>
    public string? ActiveResponseId { get; private set; }

    /// <summary>
    /// A response this side cancelled whose <c>response.done</c> has not come yet: the service holds it active until
    /// then, and refuses a new response meanwhile (<c>conversation_already_has_active_response</c>).
    /// </summary>
    public string? AwaitingDoneOf { get; private set; }

    /// <summary>A <c>response.create</c> was sent and its <c>response.created</c> has not come: an answer is on its way.</summary>
    public bool ResponseRequested => _createOnItsWay != CreateOnItsWay.None;

    // Our create whose response.created has not come, if any, and whether the user moved on since it was sent (its
    // response is then cancelled as it comes): one state, so that whatever ends the create ends the mark with it.
    private CreateOnItsWay _createOnItsWay;

    private enum CreateOnItsWay { None, ToAnswer, ToCancel }

    /// <summary>
    /// Whether the service would accept a <c>response.create</c> now. Not while one of ours is on its way: the service
    /// makes that response active as it reads it, so a second create sent behind it would be refused.
    /// </summary>
    public bool CanCreateResponse => ActiveResponseId is null && AwaitingDoneOf is null && !HeldByService && !ResponseRequested;

    /// <summary>
    /// The service refused a create for a response still active that this side does not (or no longer) track: no
    /// create until the next <c>response.done</c> (or a new connection).
    /// </summary>
    public bool HeldByService { get; private set; }

    /// <summary>Our <c>response.create</c> was refused: a response is active on the service.</summary>
    public void OnCreateRefusedForActiveResponse()
    {
        _createOnItsWay = CreateOnItsWay.None;
        HeldByService = true;
    }

    /// <summary>
    /// The user moved on (spoke, typed, interrupted) while a <c>response.create</c> of ours is on its way: the response it
    /// makes answers what they left behind, so it is cancelled as it comes (<see cref="OnResponseCreated"/>) instead of
    /// talking over them. Nothing when no create is on its way.
    /// </summary>
    public void CancelTheResponseOnItsWay()
    {
        if (_createOnItsWay == CreateOnItsWay.ToAnswer)
        {
            _createOnItsWay = CreateOnItsWay.ToCancel;
        }
    }

    /// <summary>
    /// The service heard the user begin to speak and has not begun its answer: the turn's audio sits in this
    /// connection's input buffer (or its uncommitted item), which a renewal onto a new connection would lose.
    /// </summary>
    public bool UserTurnOpen { get; private set; }

    /// <summary>The service's VAD, or the local one, heard the user begin to speak.</summary>
    public void OnUserSpeechStarted() => UserTurnOpen = true;

    /// <summary>
    /// The user's open turn will not be answered: the local VAD heard them stop after too little to commit, or they left
    /// and the input was cleared.
    /// </summary>
    public void OnUserTurnDropped() => UserTurnOpen = false;

    /// <summary>
    /// A user turn was committed and its transcription is still to come: it comes on this connection only, so a
    /// renewal now would lose the user's line of the turn (the transcript and the history).
    /// </summary>
    public bool UserTranscriptPending => _transcriptsAwaited.Count > 0;

    /// <summary>How many user turns' transcriptions are awaited at most; beyond it, the oldest is given up.</summary>
    public const int MaxTranscriptsAwaited = 32;

    // Item ids of the committed user turns whose transcription is still to come, oldest first.
    private readonly List<string> _transcriptsAwaited = [];

    /// <summary>
    /// The user's audio was committed as item <paramref name="itemId"/>, which the service will transcribe. Returns the
    /// item whose transcription is given up to stay within <see cref="MaxTranscriptsAwaited"/>, else null.
    /// </summary>
    public string? OnUserAudioCommitted(string itemId)
    {
        _transcriptsAwaited.Add(itemId);
        if (_transcriptsAwaited.Count <= MaxTranscriptsAwaited)
        {
            return null;
        }
        var givenUp = _transcriptsAwaited[0];
        _transcriptsAwaited.RemoveAt(0);
        return givenUp;
    }

    /// <summary>A transcription of the user's audio item <paramref name="itemId"/> came (or failed): true when it was awaited.</summary>
    public bool OnUserTranscribed(string itemId) => _transcriptsAwaited.Remove(itemId);

    /// <summary>Audio received for the active response, in ms.</summary>
    public double TurnAudioMs { get; private set; }

    /// <summary>
    /// <paramref name="responseId"/> was created. False when it is the response of a create the user moved on from
    /// (<see cref="CancelTheResponseOnItsWay"/>): it is cancelled already, its output dropped and its <c>response.done</c>
    /// awaited; the caller sends the cancel.
    /// </summary>
    public bool OnResponseCreated(string responseId)
    {
        _announced.Add(responseId);
        ActiveResponseId = responseId;
        var cancel = _createOnItsWay == CreateOnItsWay.ToCancel;
        _createOnItsWay = CreateOnItsWay.None;
        UserTurnOpen = false; // the service answers the turn: it is in the conversation now
        TurnAudioMs = 0;
        if (cancel)
        {
            CancelActive();
        }
        return !cancel;
    }

    /// <summary>A <c>response.create</c> went out.</summary>
    public void OnResponseRequested() => _createOnItsWay = CreateOnItsWay.ToAnswer;

    /// <summary>
    /// Our <c>response.create</c> will make no response: the service refused it for a reason of its own, or its
    /// <c>response.created</c> did not come in time.
    /// </summary>
    public void OnResponseRequestFailed() => _createOnItsWay = CreateOnItsWay.None;

    /// <summary>Output of a response counts only when it was announced on this connection and not cancelled.</summary>
    public bool IsLive(string? responseId) => _announced.Contains(responseId) && !_cancelled.Contains(responseId);

    public bool IsCancelled(string? responseId) => _cancelled.Contains(responseId);

    /// <summary>
    /// <paramref name="responseId"/> called a tool, which the session runs: that call is its answer (the tool round asks
    /// for the words after it, on this connection or, with the call and its output, on the next).
    /// </summary>
    public void OnCallMade(string responseId) => _madeCalls.Add(responseId);

    /// <summary>Whether <paramref name="responseId"/> called a tool (see <see cref="OnCallMade"/>).</summary>
    public bool MadeACall(string? responseId) => _madeCalls.Contains(responseId);

    public void OnAudioReceived(string itemId, int contentIndex, string responseId, double ms)
    {
        if (!_items.TryGetValue(itemId, out var item))
        {
            item = new ItemAudio(responseId, contentIndex);
            _items[itemId] = item;
            _order.Add(itemId);
            if (_order.Count > RememberedItems)
            {
                _items.Remove(_order[0]);
                _order.RemoveAt(0);
            }
        }
        item.ReceivedMs += ms;
        TurnAudioMs += ms;
    }

    /// <summary>
    /// Audio of <paramref name="responseId"/>, cancelled, came (and was dropped): the service went on with the answer
    /// until the cancel took effect (or finished it first, the cancel arriving too late), so it may hold items the
    /// listener never heard a word of, which no barge-in truncated as it did not know them yet. An item not seen
    /// before is remembered, to be truncated at 0 once the response is done (<see cref="TakeLateItems"/>). An item whose
    /// audio came before the cancel was judged by it (truncated where it was heard, or at 0).
    /// </summary>
    public void OnLateAudio(string itemId, int contentIndex, string responseId)
    {
        if (_items.ContainsKey(itemId) || _lateItems.Exists(l => l.ItemId == itemId))
        {
            return;
        }
        _lateItems.Add((itemId, contentIndex, responseId));
        if (_lateItems.Count > MaxLateItems)
        {
            _lateItems.RemoveAt(0);
        }
    }

    /// <summary>The response <paramref name="responseId"/> is done: its items whose audio came only after its cancel, each truncated at 0.</summary>
    public IReadOnlyList<TruncateOrder> TakeLateItems(string? responseId)
    {
        if (responseId is null || _lateItems.Count == 0)
        {
            return [];
        }
        var late = _lateItems.Where(l => l.ResponseId == responseId).Select(l => new TruncateOrder(l.ItemId, l.ContentIndex, 0)).ToList();
        _lateItems.RemoveAll(l => l.ResponseId == responseId);
        return late;
    }

    /// <summary>
    /// Whether the listener heard any of <paramref name="responseId"/>'s audio, given the item being played when the
    /// voice was cut (<paramref name="playingItemId"/>, null when nothing was queued) and how much of it was played:
    /// one of its items before that one (played whole), that one in part (with <paramref name="aWordOfThePlaying"/>
    /// false, only when a whole word of it was: a breath of its first syllable answered nothing), or, with nothing
    /// queued, any of its audio.
    /// </summary>
    public bool HeardAnyOf(string responseId, string? playingItemId, double playedMs, bool aWordOfThePlaying = true)
    {
        var playing = playingItemId is null ? -1 : _order.IndexOf(playingItemId);
        for (var i = 0; i < _order.Count; i++)
        {
            var item = _items[_order[i]];
            if (item.ResponseId != responseId || item.ReceivedMs <= 0)
            {
                continue;
            }
            if (playing < 0 || i < playing || (i == playing && playedMs > 0 && aWordOfThePlaying))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The response whose audio came last (null when none came).</summary>
    public string? LastResponseWithAudio => _order.Count == 0 ? null : _items[_order[^1]].ResponseId;

    /// <summary>The item whose audio came last (null when none came).</summary>
    public string? LastItemWithAudio => _order.Count == 0 ? null : _order[^1];

    /// <summary>The response <paramref name="itemId"/>'s audio came in (null when unknown).</summary>
    public string? ResponseOf(string itemId) => _items.TryGetValue(itemId, out var item) ? item.ResponseId : null;

    /// <summary>Audio received for <paramref name="itemId"/>, in ms (0 when unknown).</summary>
    public double ReceivedMs(string itemId) => _items.TryGetValue(itemId, out var item) ? item.ReceivedMs : 0;

    /// <summary>The server sent all of <paramref name="itemId"/>'s audio (<c>response.output_audio.done</c>).</summary>
    public void OnAudioDone(string itemId)
    {
        if (_items.TryGetValue(itemId, out var item))
        {
            item.Whole = true;
        }
    }

    /// <summary>The length of <paramref name="itemId"/>'s audio in ms once all of it came; null before (or when unknown).</summary>
    public double? WholeMs(string itemId) => _items.TryGetValue(itemId, out var item) && item.Whole ? item.ReceivedMs : null;

    /// <summary>The server finished a response; true when it was the one in progress.</summary>
    public bool OnResponseDone(string? responseId)
    {
        HeldByService = false;
        if (responseId is not null && responseId == AwaitingDoneOf)
        {
            AwaitingDoneOf = null;
        }
        if (responseId is null || responseId != ActiveResponseId)
        {
            return false;
        }
        ActiveResponseId = null;
        return true;
    }

    /// <summary>
    /// A new connection: nothing of the old one is active any more (its responses ended with it), nor awaited.
    /// </summary>
    /// <returns>The user turns whose transcription was awaited on the old connection: it will not come.</returns>
    public IReadOnlyList<string> OnNewConnection()
    {
        ActiveResponseId = null;
        AwaitingDoneOf = null;
        _createOnItsWay = CreateOnItsWay.None;
        HeldByService = false;
        UserTurnOpen = false;
        _lateItems.Clear(); // the live connection never had them
        List<string> notComing = [.. _transcriptsAwaited];
        _transcriptsAwaited.Clear();
        // Its items are not on the new connection (the history is sent as new items): none is truncated there. Their
        // lengths are kept: an answer that came whole may still be playing, and a barge-in reads from them what was heard.
        foreach (var item in _items.Values)
        {
            item.OnOldConnection = true;
        }
        return notComing;
    }

    /// <summary>
    /// The connection ends with the response in progress, whose received audio plays on: nothing more of it is taken (any
    /// late output of it is dropped), and, should the connection go on after all (a renewal that failed), it is
    /// cancelled there and its <c>response.done</c> awaited, as at a barge-in. Nothing is truncated: what of it will be
    /// heard is not known yet.
    /// </summary>
    public void OnResponseEndedWithItsConnection() => CancelActive();

    /// <summary>The response in progress (returned, null when none) is cancelled: its late output dropped, its <c>response.done</c> awaited.</summary>
    private string? CancelActive()
    {
        var cancelled = ActiveResponseId;
        if (cancelled is not null)
        {
            _cancelled.Add(cancelled);
            ActiveResponseId = null;
            AwaitingDoneOf = cancelled;
        }
        return cancelled;
    }

    /// <summary>The cancelled response's <c>response.done</c> did not come in time: stop waiting for it.</summary>
    public void StopAwaitingDone() => AwaitingDoneOf = null;

    /// <summary>
    /// The user spoke over the agent. The response in progress is cancelled (its late output dropped from now on).
    /// The item being heard is truncated at <paramref name="playedMs"/> when part of it went unheard (clamped to the
    /// audio received; an item without audio cannot be truncated); each later item that already has audio was not
    /// heard at all and is truncated at 0, so the conversation holds nothing the user did not hear. Items of an ended
    /// connection are not truncated: the live one never had them.
    /// </summary>
    public BargeInPlan BargeIn(string? heardItemId, double playedMs)
    {
        var cancelled = CancelActive();

        var truncates = new List<TruncateOrder>();
        var at = heardItemId is null ? -1 : _order.IndexOf(heardItemId);
        if (at < 0)
        {
            return new BargeInPlan(cancelled, truncates);
        }

        // An item of an ended connection (an answer playing on across it) is not on the live one: nothing to truncate there.
        var heard = _items[heardItemId!];
        var played = Math.Round(playedMs);
        // Cut once already (an answer cut short, truncated where its audio ended): cut again only shorter.
        var unheard = heard.TruncatedAtMs is { } cut ? played < cut : played < Math.Floor(heard.ReceivedMs) || heard.ResponseId == cancelled;
        if (!heard.OnOldConnection && heard.ReceivedMs > 0 && unheard)
        {
            truncates.Add(Truncate(heardItemId!, heard, (int)Math.Clamp(played, 0, heard.TruncatedAtMs ?? AudioHeldByService(heard.ReceivedMs))));
        }

        // Every later item was queued behind it, never heard: the rest of a long answer, or the live connection's answer
        // waiting behind one of an ended connection that plays on.
        for (var i = at + 1; i < _order.Count; i++)
        {
            var later = _items[_order[i]];
            if (!later.OnOldConnection && later.ReceivedMs > 0 && later.TruncatedAtMs is not 0)
            {
                truncates.Add(Truncate(_order[i], later, 0));
            }
        }

        return new BargeInPlan(cancelled, truncates);
    }

    /// <summary>
    /// An answer cut short whose connection goes on after all (a renewal that failed): the service made more of it than
    /// came before the cancel took effect, and what came all plays. Its item is truncated at the audio received (less
    /// <see cref="ServiceShortfallMs"/>), so the conversation holds what the listener hears and the model goes on from
    /// there. Null when there is nothing to cut
    /// (unknown, of an ended connection, no audio, or cut already).
    /// </summary>
    public TruncateOrder? TruncateAtReceived(string itemId)
    {
        if (!_items.TryGetValue(itemId, out var item) || item.OnOldConnection || item.ReceivedMs <= 0 || item.TruncatedAtMs is not null)
        {
            return null;
        }
        return Truncate(itemId, item, (int)AudioHeldByService(item.ReceivedMs));
    }

    /// <summary>
    /// The service holds an item's audio shorter than it sent it, by 85 ms in every report ("Audio content of 6100ms is
    /// already shorter than 6185ms", pipecat-ai/pipecat#1963, #2106): a truncate past what it holds is refused and
    /// leaves the item whole, so a truncate is never sent past the audio received less this. Cutting the last
    /// tenth of a second of what was heard costs a syllable at most; a refused one leaves seconds that were not.
    /// </summary>
    public const int ServiceShortfallMs = 100;

    private static double AudioHeldByService(double receivedMs) => Math.Max(0, Math.Floor(receivedMs) - ServiceShortfallMs);

    private static TruncateOrder Truncate(string itemId, ItemAudio item, int audioEndMs)
    {
        item.TruncatedAtMs = audioEndMs;
        return new TruncateOrder(itemId, item.ContentIndex, audioEndMs);
    }

    private sealed class ItemAudio(string responseId, int contentIndex)
    {
        public string ResponseId { get; } = responseId;

        public int ContentIndex { get; } = contentIndex;

        public double ReceivedMs { get; set; }

        public bool Whole { get; set; }

        /// <summary>Where it was cut (null: never): its audio on the service ends there, and a truncate past that end is refused (<c>invalid_value</c>).</summary>
        public double? TruncatedAtMs { get; set; }

        /// <summary>It came on a connection that has since been replaced: the live one has no such item to truncate.</summary>
        public bool OnOldConnection { get; set; }
    }
}
