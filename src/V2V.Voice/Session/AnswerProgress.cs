using V2V.Voice.Turns;

namespace V2V.Voice.Session;

/// <summary>
/// How far an answer got, told to what depends on it: the user's open turn (kept for a new connection, in the live
/// connection's slot) and what the session told of the user's speech. Taken: the session took the answer's
/// <c>response.created</c>, so the turns committed before it have their answer. Heard: some of it reached the listener
/// (a word of it, or it ended whole, or a barge-in cut it after some of it was played), so its turn is over. Until an
/// answer is heard, a new connection is sent its turn again (an answer cut before a word of it was heard answered
/// nothing), and the session remembers having told that turn, so that it is not told twice when heard again. Holds no
/// state of its own.
/// </summary>
internal sealed class AnswerProgress(ServerLink link, ToldUserSpeech toldSpeech, ResponseCoordinator responses)
{
    /// <summary>On the actor: the session took <c>response.created</c> of <paramref name="responseId"/> from the live connection.</summary>
    public void Taken(string responseId) => link.Connection.Slot.Answered(responseId);

    /// <summary>
    /// The answer cut before a word of it was heard is asked for again on the live connection (a renewal that cut it
    /// failed): the next answer the session takes is that turn's.
    /// </summary>
    public void AskedAgain() => link.Connection.Slot.AskedAgain();

    /// <summary>The listener heard some of <paramref name="responseId"/> (or it ended).</summary>
    public void Heard(string responseId)
    {
        link.Connection.Slot.Heard(responseId);
        toldSpeech.AnswerHeard();
    }

    /// <summary>
    /// The listener took some of <paramref name="responseId"/>: as <see cref="Heard"/>, and an answer this side asked for
    /// is no longer owed should its connection end (its end alone does not say the listener heard it).
    /// </summary>
    public void Listened(string responseId)
    {
        Heard(responseId);
        responses.Heard(responseId);
    }

    /// <summary>
    /// The listener took the first audio of <paramref name="responseId"/>, no word of it yet: an answer this side asked
    /// for is no longer owed should its connection end, unless a cut then finds no word of it heard
    /// (<see cref="NotHeard"/>). The user's turn it answers stays open until a word of it is heard (<see cref="Listened"/>).
    /// </summary>
    public void BeganToHear(string responseId) => responses.Heard(responseId);

    /// <summary>
    /// A cut of the session's own found no word of <paramref name="responseId"/> heard: it answered nothing, and is the
    /// answer asked for again, owed should its connection end.
    /// </summary>
    public void NotHeard(string responseId) => responses.NotHeard(responseId);
}
