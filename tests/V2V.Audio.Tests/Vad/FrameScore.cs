namespace V2V.Audio.Tests;

/// <summary>Chunk-level precision and recall of a detector against the known speech of a scene.</summary>
internal sealed record FrameScore(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives, int FalseAlarmsInSilence)
{
    public double Precision => TruePositives / (double)Math.Max(1, TruePositives + FalsePositives);

    public double Recall => TruePositives / (double)Math.Max(1, TruePositives + FalseNegatives);

    /// <summary>
    /// Scores chunks whose probability reaches <paramref name="threshold"/> as speech. A chunk counts as speech
    /// when its middle lies inside an utterance; a false alarm "in silence" is one more than 300 ms from any speech
    /// (boundary chunks are genuinely ambiguous, pauses between words too).
    /// </summary>
    public static FrameScore Of(SpokenAudio.Scene scene, IReadOnlyList<VoiceActivityChunk> chunks, float threshold)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0, alarms = 0;
        foreach (var chunk in chunks)
        {
            long middle = (long)((chunk.Start + chunk.Duration / 2).TotalSeconds * SpokenAudio.SampleRate);
            bool truth = scene.IsSpeech(middle);
            bool said = chunk.Probability >= threshold;
            if (truth && said) tp++;
            else if (truth) fn++;
            else if (said) fp++;
            else tn++;

            bool farFromSpeech = !scene.Speech.Any(s => middle > s.Start - 4800 && middle < s.End + 4800);
            if (said && farFromSpeech)
            {
                alarms++;
            }
        }

        return new FrameScore(tp, fp, fn, tn, alarms);
    }

    public override string ToString()
        => $"precision {Precision:P1}, recall {Recall:P1} (tp {TruePositives}, fp {FalsePositives}, fn {FalseNegatives}, tn {TrueNegatives}, far false alarms {FalseAlarmsInSilence})";
}
