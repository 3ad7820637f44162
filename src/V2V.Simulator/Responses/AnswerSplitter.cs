namespace V2V.Simulator.Responses;

/// <summary>
/// Long spoken answers come as several assistant message items of one response, as newer models send them: a
/// client must play, track and truncate each item on its own. Each piece keeps the words whose audio starts in it.
/// </summary>
internal static class AnswerSplitter
{
    public static IReadOnlyList<PlannedOutput> Split(IReadOnlyList<PlannedOutput> plan, int longerThanMs)
    {
        if (longerThanMs <= 0 || !plan.Any(p => p is PlannedAudio a && Audio.Pcm.Ms(a.Audio.Length) > longerThanMs))
        {
            return plan;
        }

        var result = new List<PlannedOutput>();
        foreach (var planned in plan)
        {
            if (planned is PlannedAudio audio && Audio.Pcm.Ms(audio.Audio.Length) > longerThanMs)
            {
                result.AddRange(SplitAudio(audio, longerThanMs));
            }
            else
            {
                result.Add(planned);
            }
        }

        return result;
    }

    private static IEnumerable<PlannedAudio> SplitAudio(PlannedAudio audio, int longerThanMs)
    {
        var words = audio.Transcript.Split(' ');
        var totalMs = Audio.Pcm.Ms(audio.Audio.Length);
        var pieces = Math.Min((totalMs + longerThanMs - 1) / longerThanMs, Math.Max(1, words.Length));
        for (var k = 0; k < pieces; k++)
        {
            var from = (int)((long)audio.Audio.Length * k / pieces);
            var to = (int)((long)audio.Audio.Length * (k + 1) / pieces);
            var firstWord = Session.ContentPart.WordsStartedBy(Audio.Pcm.Ms(from), words.Length, totalMs);
            var lastWord = k == pieces - 1 ? words.Length : Session.ContentPart.WordsStartedBy(Audio.Pcm.Ms(to), words.Length, totalMs);
            yield return new PlannedAudio(audio.Audio[from..to], string.Join(' ', words[firstWord..lastWord]));
        }
    }
}
