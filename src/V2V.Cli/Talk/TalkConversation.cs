using V2V.Audio;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.Cli.Talk;

/// <summary>
/// The outputs of one talk: audio into the answer WAV, transcripts to the console and JSON lines, reconnects and
/// errors as one line each, and when it is over (every turn answered, or the session stopped).
/// </summary>
internal sealed class TalkConversation : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(800);
    private readonly VoiceSession _session;
    private readonly TalkSettings _settings;
    private readonly TextWriter _console;
    private readonly TimeProvider _time;
    private readonly AnswerTimeline? _answer;
    private readonly StreamWriter? _jsonLines;
    private readonly TalkReport _report;
    private readonly CancellationTokenSource _stopped = new();
    private int _speechEnds;
    private int _answers;
    private long _lastOutput;
    private string? _fatalCode;
    private volatile bool _fatal;

    public TalkConversation(VoiceSession session, TalkSettings settings, TextWriter console, InputClock clock, TimeProvider time)
    {
        _session = session;
        _settings = settings;
        _console = console;
        _time = time;
        _lastOutput = time.GetTimestamp();
        // Unpaced (--fast), there is no moment a frame was heard: the answer is written back to back.
        _answer = settings.Output is null ? null : new AnswerTimeline(WavWriter.Create(settings.Output.FullName, settings.OutputRate), settings.Fast ? null : clock);
        _jsonLines = settings.Transcript is null ? null : new StreamWriter(settings.Transcript.FullName);
        _report = new TalkReport(console, _jsonLines, time);
    }

    /// <summary>Cancelled once the session has stopped (a fatal error): nothing more can be sent to it.</summary>
    public CancellationToken Stopped => _stopped.Token;

    /// <summary>Reads the session's outputs until they end.</summary>
    public async Task ReadAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var output in _session.ReadOutputsAsync(ct).ConfigureAwait(false))
            {
                Interlocked.Exchange(ref _lastOutput, _time.GetTimestamp());
                Handle(output);
            }
        }
        finally
        {
            await _stopped.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Done when every turn the server heard has an answer and nothing has come for a moment, or when the session stopped.</summary>
    public async Task<int> WaitForAnswersAsync(bool manual, CancellationToken ct)
    {
        var waitingSince = _time.GetTimestamp();
        while (_time.GetElapsedTime(waitingSince) < _settings.Timeout && !_fatal && !_stopped.IsCancellationRequested)
        {
            var turns = manual ? 1 : Volatile.Read(ref _speechEnds);
            var answered = Volatile.Read(ref _answers);
            var quiet = _time.GetElapsedTime(Interlocked.Read(ref _lastOutput));
            if (turns > 0 && answered >= turns && quiet >= Quiet)
            {
                return TalkExitCode.Ok;
            }
            if (turns == 0 && !manual && quiet >= TimeSpan.FromSeconds(3))
            {
                _report.Note($"v2v talk: no speech was heard in {_settings.Input.Name}.");
                return TalkExitCode.NoSpeech;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, ct).ConfigureAwait(false);
        }
        return StoppedOrTimedOut();
    }

    /// <summary>The exit code of a session that stopped (its one fatal line is printed already), or of waiting in vain.</summary>
    public int StoppedOrTimedOut()
    {
        if (_fatal)
        {
            return TalkExitCode.ForFatalError(_fatalCode);
        }
        if (_stopped.IsCancellationRequested)
        {
            _report.Note("v2v talk: the session ended before every turn was answered.");
            return TalkExitCode.Failed;
        }
        _report.Note($"v2v talk: no complete answer within {_settings.Timeout.TotalSeconds:F0} s.");
        return TalkExitCode.NoAnswer;
    }

    /// <summary>Prints what is still held and completes the files; on its timeline the answer WAV lasts at least <paramref name="inputLength"/>.</summary>
    public void Finish(TimeSpan inputLength)
    {
        _report.Finish();
        if (_answer is not null)
        {
            if (!_settings.Fast)
            {
                _answer.PadTo(inputLength);
            }
            _answer.Dispose();
            _console.WriteLine($"answer: {_settings.Output!.FullName}");
        }
        _jsonLines?.Dispose();
    }

    public void Dispose()
    {
        _report.Dispose();
        _answer?.Dispose();
        _jsonLines?.Dispose();
        _stopped.Dispose();
    }

    private void Handle(VoiceSessionOutput output)
    {
        if (output.TryGetAudio(out var frame))
        {
            using (frame)
            {
                _answer?.Write(Pcm16.AsSamples(frame.Span));
            }
            return;
        }
        switch (output.Event)
        {
            case TranscriptOutput transcript:
                if (transcript is { Role: TranscriptRole.Assistant, IsFinal: true })
                {
                    Interlocked.Increment(ref _answers);
                }
                _report.Transcript(transcript);
                break;
            case UserSpeechOutput { Started: false }:
                Interlocked.Increment(ref _speechEnds);
                break;
            case UserTranscriptPendingOutput { Pending: true, ItemId: var committed }:
                _report.ExpectUserLine(committed);
                break;
            case UserTranscriptPendingOutput { ItemId: var lost }:
                _report.UserLineNotComing(lost);
                break;
            case StateOutput { State: VoiceSessionState.Reconnecting, Detail: var reason }:
                // A turn the old connection had not answered audibly goes to the new one, which answers it: still awaited.
                _report.ConnectionLost(reason);
                break;
            case ErrorOutput { Fatal: false, Code: "session_expired" }:
                // The service ends every session after its lifetime; the reconnect that follows is the one line it gets.
                break;
            case ErrorOutput error:
                _report.Error(error);
                if (error.Fatal)
                {
                    _fatalCode = error.Code;
                    _fatal = true;
                    _stopped.Cancel();
                }
                break;
        }
    }
}
