namespace V2V.Audio;

/// <summary>
/// Turns per-chunk speech probabilities into start/end events with hysteresis and minimum durations; the
/// logic of Silero's VADIterator plus a minimum speech duration. Counts time in samples of its own clock.
/// </summary>
internal sealed class SpeechSegmenter
{
    private readonly float _threshold;
    private readonly float _negativeThreshold;
    private readonly long _minSpeech;
    private readonly long _minSilence;
    private readonly long _pad;
    private readonly int _rate;
    private long _candidateStart = -1;
    private long _silenceStart = -1;
    private long _lastEnd;

    public SpeechSegmenter(VoiceActivityOptions options, int sampleRate)
    {
        _threshold = options.Threshold;
        _negativeThreshold = options.EffectiveNegativeThreshold;
        _rate = sampleRate;
        _minSpeech = ToSamples(options.MinSpeechDuration);
        _minSilence = ToSamples(options.MinSilenceDuration);
        _pad = ToSamples(options.SpeechPad);
    }

    public bool IsSpeech { get; private set; }

    /// <summary>Takes the probability of the chunk [start, end) and reports any boundary it completes.</summary>
    public void Observe(float probability, long start, long end, ICollection<VoiceActivityEvent>? events)
    {
        if (probability >= _threshold)
        {
            _silenceStart = -1;
            if (!IsSpeech)
            {
                if (_candidateStart < 0)
                {
                    _candidateStart = start;
                }

                if (end - _candidateStart >= _minSpeech)
                {
                    IsSpeech = true;
                    // The padded start never reaches back into the previous segment.
                    long at = Math.Max(_lastEnd, _candidateStart - _pad);
                    events?.Add(new VoiceActivityEvent(VoiceActivityEventKind.SpeechStarted, ToTime(at), ToTime(end)));
                }
            }
        }
        else if (probability < _negativeThreshold)
        {
            if (!IsSpeech)
            {
                _candidateStart = -1;
                return;
            }

            if (_silenceStart < 0)
            {
                _silenceStart = start;
            }

            if (end - _silenceStart >= _minSilence)
            {
                IsSpeech = false;
                _lastEnd = Math.Min(_silenceStart + _pad, end);
                events?.Add(new VoiceActivityEvent(VoiceActivityEventKind.SpeechEnded, ToTime(_lastEnd), ToTime(end)));
                _silenceStart = -1;
                _candidateStart = -1;
            }
        }
    }

    public void Reset()
    {
        IsSpeech = false;
        _candidateStart = -1;
        _silenceStart = -1;
        _lastEnd = 0;
    }

    private long ToSamples(TimeSpan duration) => (long)Math.Round(duration.TotalSeconds * _rate);

    private TimeSpan ToTime(long samples) => TimeSpan.FromSeconds((double)samples / _rate);
}
