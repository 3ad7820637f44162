using V2V.Voice.Turns;

namespace V2V.Voice.Session;

/// <summary>
/// The user heard some of an answer (it ended whole, or a barge-in cut it after some of it was played): the turn it
/// answers is over. Until then a new connection is sent that turn again (an answer cut before a word of it was heard
/// answered nothing), and the session remembers having told it, so that it is not told twice when heard again.
/// Holds no state of its own.
/// </summary>
internal sealed class AnswerHeard(ServerLink link, ToldUserSpeech toldSpeech)
{
    public void Tell(string responseId)
    {
        link.Connection.Slot.Heard(responseId);
        toldSpeech.AnswerHeard();
    }
}
