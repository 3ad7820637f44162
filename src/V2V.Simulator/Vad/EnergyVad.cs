using V2V.Audio;

namespace V2V.Simulator.Vad;

/// <summary>What the detector saw in one frame, in session time (samples at 24 kHz).</summary>
internal readonly record struct VadEvent(bool Started, long Sample);

/// <summary>
/// An energy detector over 10 ms frames of 24 kHz pcm16. <c>threshold</c> (0..1) maps linearly to an RMS level:
/// 0 is -60 dBFS, 0.5 is -35 dBFS, 1 is -10 dBFS. Speech starts after <see cref="MinSpeechMs"/> of frames above
/// the level (so a click is not a turn); it is reported at the first of those frames minus prefix_padding_ms.
/// Speech stops once silence_duration_ms of frames are below the level; audio_end_ms is the end of that silence
/// (OpenAI: it "includes the min_silence_duration_ms").
/// </summary>
internal sealed class EnergyVad
{
    public const int FrameMs = 10;
    public const int FrameSamples = 240;
    public const int MinSpeechMs = 30;

    private long _nextFrame = -1;
    private long _runStart;
    private int _speechRunMs;
    private int _silenceRunMs;

    public bool InSpeech { get; private set; }

    public static double LevelDbfs(double threshold) => -60 + (50 * Math.Clamp(threshold, 0, 1));

    /// <summary>Forgets any speech in progress (after a manual commit or clear, or a settings change).</summary>
    public void Reset(long fromSample)
    {
        _nextFrame = fromSample;
        InSpeech = false;
        _speechRunMs = 0;
        _silenceRunMs = 0;
    }

    /// <summary>
    /// Runs over the whole frames available between the last position and <paramref name="endSample"/>.
    /// <paramref name="read"/> gives the samples of a session-time range; <paramref name="bufferStart"/> clamps the
    /// prefix padding to audio still held.
    /// </summary>
    public IEnumerable<VadEvent> Process(TurnDetectionSettings settings, Func<long, long, short[]> read, long bufferStart, long endSample)
    {
        if (_nextFrame < 0)
        {
            _nextFrame = bufferStart;
        }

        var level = LevelDbfs(settings.Threshold);
        var events = new List<VadEvent>();
        while (_nextFrame + FrameSamples <= endSample)
        {
            var frame = read(_nextFrame, _nextFrame + FrameSamples);
            var loud = Pcm16Level.Dbfs(frame) >= level;
            if (!InSpeech)
            {
                if (loud)
                {
                    if (_speechRunMs == 0)
                    {
                        _runStart = _nextFrame;
                    }

                    _speechRunMs += FrameMs;
                    if (_speechRunMs >= MinSpeechMs)
                    {
                        InSpeech = true;
                        _silenceRunMs = 0;
                        var start = Math.Max(bufferStart, _runStart - (settings.PrefixPaddingMs * (long)Audio.Pcm.SamplesPerMs));
                        events.Add(new VadEvent(true, start));
                    }
                }
                else
                {
                    _speechRunMs = 0;
                }
            }
            else
            {
                _silenceRunMs = loud ? 0 : _silenceRunMs + FrameMs;
                if (_silenceRunMs >= settings.EffectiveSilenceMs)
                {
                    InSpeech = false;
                    _speechRunMs = 0;
                    events.Add(new VadEvent(false, _nextFrame + FrameSamples));
                }
            }

            _nextFrame += FrameSamples;
        }

        return events;
    }
}
