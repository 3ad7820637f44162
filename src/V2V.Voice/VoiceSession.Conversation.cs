using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;

namespace V2V.Voice;

public sealed partial class VoiceSession
{
    private bool _greetingPending;
    private bool _greeted;

    /// <summary>Speaks the greeting once per user; deferred while not connected.</summary>
    private async ValueTask GreetAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(_options.Greeting) || _greeted)
        {
            _greetingPending = false;
            return;
        }
        if (_connection.Live is not { IsOpen: true })
        {
            _greetingPending = true;
            return;
        }
        _greetingPending = false;
        _greeted = true;
        await RequestResponseAsync(new RealtimeResponseCreateParams
        {
            Instructions = $"Greet the user by saying exactly this, and nothing else: \"{_options.Greeting}\"",
        }, ct).ConfigureAwait(false);
    }

    private async ValueTask ForgetUserAsync(CancellationToken ct)
    {
        await BargeInAsync("the user left", ct).ConfigureAwait(false);
        await SendAsync(new InputAudioBufferClearEvent(), ct).ConfigureAwait(false);
        _greeted = false;
    }

    private async ValueTask SendUserTextAsync(string text, CancellationToken ct)
    {
        await BargeInAsync("the user sent text", ct).ConfigureAwait(false);
        _history.AddUser(text);
        await SendAsync(new ConversationItemCreateEvent { Item = RealtimeConversationItem.UserText(text) }, ct).ConfigureAwait(false);
        await RequestResponseAsync(null, ct).ConfigureAwait(false);
    }

    /// <summary>After a turn ended on this side (manual or local VAD): the model is asked to answer.</summary>
    private async ValueTask StartAnswerAfterTurnAsync(long endOfSpeech, CancellationToken ct)
    {
        _endOfSpeech = endOfSpeech;
        _waitingForFirstAudio = true;
        if (_turns.ActiveResponseId is not null)
        {
            // The user spoke over an answer that the barge-in did not stop (it was just starting): replace it.
            await BargeInAsync("a new turn ended", ct).ConfigureAwait(false);
        }
        await RequestResponseAsync(null, ct).ConfigureAwait(false);
    }
}
