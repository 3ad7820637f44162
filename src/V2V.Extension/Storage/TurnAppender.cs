using System.Text;
using V2V.Ten;
using V2V.Ten.Messages;
using V2V.Voice.Outputs;

namespace V2V.Extension.Storage;

/// <summary>
/// The storage contract of the original, writing side: each final turn goes out as data <c>append</c>
/// <c>{text, role, stream_id}</c>: the user's when its transcription completes, the agent's when it closes, as it was
/// heard (the sentences released with the audio; an interrupted turn ends at the cut). One reader (the output bridge).
/// </summary>
internal sealed class TurnAppender(ITenEnv env)
{
    private const int MaxTurnChars = 64 * 1024;
    private readonly StringBuilder _assistant = new();

    public async ValueTask OnTranscriptAsync(TranscriptOutput transcript, long streamId, CancellationToken cancellationToken)
    {
        if (transcript.Role == TranscriptRole.User)
        {
            if (transcript.IsFinal)
            {
                await AppendAsync(transcript.Text, "user", streamId, cancellationToken).ConfigureAwait(false);
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
            await AppendAsync(text, "assistant", streamId, cancellationToken).ConfigureAwait(false);
        }
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
}
