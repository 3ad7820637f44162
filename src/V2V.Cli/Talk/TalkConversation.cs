using V2V.Audio;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.Cli.Talk;

/// <summary>The outputs of one talk: audio into the answer WAV, transcripts to the console and JSON lines, and when it is over.</summary>
internal sealed class TalkConversation(VoiceSession session, TalkSettings settings, TextWriter console)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(800);
    private readonly WavWriter? _answer = settings.Output is null ? null : WavWriter.Create(settings.Output.FullName, settings.OutputRate);
    private readonly StreamWriter? _jsonLines = settings.Transcript is null ? null : new StreamWriter(settings.Transcript.FullName);
    private TalkReport? _report;
    private int _speechEnds;
    private long _lastOutput = Environment.TickCount64;
    private bool _fatal;

    public async Task ReadAsync(CancellationToken ct)
    {
        _report = new TalkReport(console, _jsonLines);
        await foreach (var output in session.ReadOutputsAsync(ct).ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _lastOutput, Environment.TickCount64);
            switch (output)
            {
                case AudioOutput audio:
                    using (audio)
                    {
                        _answer?.Write(Pcm16.AsSamples(audio.Pcm16.Span));
                    }
                    break;
                case TranscriptOutput transcript:
                    _report.Transcript(transcript);
                    break;
                case UserSpeechOutput { Started: false }:
                    Interlocked.Increment(ref _speechEnds);
                    break;
                case ErrorOutput error:
                    _report.Error(error);
                    _fatal |= error.Fatal;
                    break;
            }
        }
    }

    /// <summary>Done when every turn the server heard has an answer and nothing has come for a moment.</summary>
    public async Task<int> WaitForAnswersAsync(bool manual, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + settings.Timeout;
        while (DateTime.UtcNow < deadline && !_fatal)
        {
            var turns = manual ? 1 : Volatile.Read(ref _speechEnds);
            var answered = _report?.AssistantTurns ?? 0;
            var quiet = TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastOutput));
            if (turns > 0 && answered >= turns && quiet >= Quiet)
            {
                return TalkExitCode.Ok;
            }
            if (turns == 0 && !manual && quiet >= TimeSpan.FromSeconds(3))
            {
                console.WriteLine($"v2v talk: no speech was heard in {settings.Input.Name}.");
                return TalkExitCode.NoSpeech;
            }
            await Task.Delay(50, ct).ConfigureAwait(false);
        }
        if (_fatal)
        {
            return TalkExitCode.Failed;
        }
        console.WriteLine($"v2v talk: no complete answer within {settings.Timeout.TotalSeconds:F0} s.");
        return TalkExitCode.NoAnswer;
    }

    public void Finish()
    {
        _answer?.Dispose();
        _jsonLines?.Dispose();
        if (settings.Output is not null)
        {
            console.WriteLine($"answer: {settings.Output.FullName}");
        }
    }
}
