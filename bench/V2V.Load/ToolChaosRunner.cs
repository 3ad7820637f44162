using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.Load;

/// <summary>
/// Chaos for an agent that calls a tool (<c>chaos-tools</c>): N sessions type a question every few seconds that the
/// local agent answers by calling the session's tool, while the server drops connections at random points and ends
/// sessions early. The tool is slow (up to 1.5 s) and counts its runs, as one with a side effect would. Checks that
/// every question gets one answer heard whole (or is cut, or overtaken in an outage, by the user's next question), that
/// none is answered twice, and that the tool runs once per question: a call that was running when its connection ended
/// is given to the new connection with its output, not run again.
/// </summary>
internal static partial class ToolChaosRunner
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(8);

    public static async Task RunAsync(int sessions, double seconds, double dropProbability, int seed, string sessionLifetime, string pace)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var lifetime = sessionLifetime.Length > 0 ? $" --session-lifetime {sessionLifetime}" : "";
        await using var server = await SimulatorProcess.StartAsync(1, $"--drop-probability {dropProbability.ToString(invariant)} --drop-seed {seed} --abort{lifetime}", pace).ConfigureAwait(false);
        var stats = new LoadStats();
        var warnings = new WarningTally(keptLines: 4000, keptLevel: LogLevel.Debug);
        var tallies = new Tally[sessions];
        var all = new OursSession[sessions];
        for (var i = 0; i < sessions; i++)
        {
            var index = i;
            var tally = tallies[i] = new Tally(new Random(seed * 1000 + i), line => warnings.Note(index, "HARNESS: " + line));
            all[i] = await OursSession.StartAsync(new Uri(server.RealtimeUri, "/"), new TurnScript([0], 0), stats, o =>
            {
                o.TurnMode = TurnMode.Manual; // a text chat with a voice: nothing is said, every question is typed
                o.Tools = [AIFunctionFactory.Create(tally.GetTimeAsync, "get_time", "The time, for the question asked.")];
                o.ReconnectGiveUpAfter = TimeSpan.FromHours(1);
                o.MaxReconnectDelay = TimeSpan.FromSeconds(2);
                o.LoggerFactory = warnings.For(index);
            }, tally.Add).ConfigureAwait(false);
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await Task.WhenAll(all.Select((s, i) => AskAsync(s.Voice, tallies[i], q => warnings.Note(i, $"HARNESS: question {q} typed"), TimeSpan.FromSeconds(Interval.TotalSeconds * i / sessions), stop.Token))).ConfigureAwait(false);

        // Until every question asked has its answer heard, or was cut by the next: 40 s at most (reconnects, a slow tool).
        var settle = Stopwatch.StartNew();
        while (settle.Elapsed < TimeSpan.FromSeconds(40) && tallies.Any(t => t.Unanswered().Count > 0))
        {
            await Task.Delay(200).ConfigureAwait(false);
        }
        await Task.WhenAll(all.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);

        int asked = 0, once = 0, twice = 0, cut = 0, overtaken = 0, unanswered = 0, ranTwice = 0, errors = 0, reconnects = 0;
        for (var i = 0; i < sessions; i++)
        {
            var t = tallies[i];
            lock (t)
            {
                asked += t.Asked;
                reconnects += t.Reconnects;
                errors += t.Errors.Count;
                foreach (var error in t.Errors)
                {
                    Console.WriteLine($"session {i}: error told: {error}");
                }
                for (var q = 1; q <= t.Asked; q++)
                {
                    var outcome = t.OutcomeOf(q);
                    var runs = t.Runs.GetValueOrDefault(q);
                    if (outcome == Outcome.Once)
                    {
                        once++;
                    }
                    else if (outcome == Outcome.MoreThanOnce)
                    {
                        twice++;
                        Console.WriteLine($"session {i}: question {q} answered more than once (the tool ran {runs} times): heard \"{t.HeardOf(q)}\"; its lines from then on:");
                        PrintLinesSince(warnings, i, q, 200);
                    }
                    else if (outcome == Outcome.CutByTheNext)
                    {
                        cut++;
                    }
                    else if (outcome == Outcome.OvertakenInAnOutage)
                    {
                        overtaken++;
                    }
                    else
                    {
                        unanswered++;
                        Console.WriteLine($"session {i}: question {q} never answered (the tool ran {runs} times), heard \"{t.HeardOf(q)}\"; its lines from then on:");
                        PrintLinesSince(warnings, i, q, 200);
                    }
                    if (runs > 1)
                    {
                        ranTwice++;
                        Console.WriteLine($"session {i}: the tool ran {runs} times for question {q}; its lines from then on:");
                        PrintLinesSince(warnings, i, q, 200);
                    }
                }
            }
        }
        for (var i = 0; i < sessions; i++)
        {
            if (warnings.AtFirstServerErrorOf(i) is { } atError)
            {
                Console.WriteLine($"session {i}: the service sent an error; the session's last lines then:");
                WarningTally.Print(atError.TakeLast(80));
            }
        }
        Console.WriteLine();
        foreach (var line in warnings.Lines())
        {
            Console.WriteLine(line);
        }
        Console.WriteLine("| sessions | s | drop probability per event | reconnects | questions typed | answered once, heard whole | cut by the next question | overtaken by the next in an outage, nothing heard | answered more than once | never answered | questions the tool ran for more than once | errors told the reader |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {sessions} | {seconds:F0} | {dropProbability} | {reconnects} | {asked} | {once} | {cut} | {overtaken} | {twice} | {unanswered} | {ranTwice} | {errors} |");
    }

    private static async Task AskAsync(VoiceSession session, Tally tally, Action<int> typed, TimeSpan offset, CancellationToken stop)
    {
        try
        {
            await Task.Delay(offset, stop).ConfigureAwait(false);
            while (true)
            {
                var question = tally.NextQuestion();
                typed(question);
                await session.SendTextAsync($"Please call get_time for question {question}.", stop).ConfigureAwait(false);
                await Task.Delay(Interval, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>How a question came out.</summary>
    private enum Outcome
    {
        /// <summary>Its answer heard whole once (across the pieces of an answer cut short and continued).</summary>
        Once,
        MoreThanOnce,
        /// <summary>Its answer cut short by the user's next question.</summary>
        CutByTheNext,
        /// <summary>
        /// Its answer not heard at all, because the connection was down while it was the last one typed and the user typed
        /// the next before an answer came: the session cancels an answer the user moved on from, as it should.
        /// </summary>
        OvertakenInAnOutage,
        /// <summary>Never answered, with no such outage to explain it.</summary>
        Never,
    }

    [GeneratedRegex(@"question (\d+)")]
    private static partial Regex QuestionNumber();

    private static int? QuestionOf(string text) => QuestionNumber().Match(text) is { Success: true } m ? int.Parse(m.Groups[1].Value) : null;

    /// <summary>
    /// Session <paramref name="session"/>'s lines from the moment the question before <paramref name="q"/> was typed
    /// (whose answer may still have been under way): how <paramref name="q"/> came out.
    /// </summary>
    private static void PrintLinesSince(WarningTally warnings, int session, int q, int count)
    {
        WarningTally.Print(warnings.RecentOf(session).SkipWhile(l => !l.EndsWith($"HARNESS: question {Math.Max(1, q - 1)} typed", StringComparison.Ordinal)).Take(count));
    }

    /// <summary>One session: questions typed, the tool's runs, and the answers heard, by question number.</summary>
    private sealed class Tally(Random random, Action<string> note)
    {
        private readonly ConcurrentDictionary<string, string> _pieces = new();

        public int Asked;
        public int Reconnects;

        // The question each item of the agent's answers belongs to: named in its words, else the last one typed when its
        // first words or audio came. What the listener heard of each question's answer, piece by piece (an answer cut
        // short by a connection's end goes on in another item).
        private readonly Dictionary<string, int> _itemQuestion = [];
        public Dictionary<int, List<(string Text, bool Interrupted)>> HeardPieces { get; } = [];
        // Every piece of every answer heard, in the order heard.
        private readonly List<string> _heardInOrder = [];
        public Dictionary<int, int> Runs { get; } = [];
        // The questions that were the last one typed when a connection was lost.
        private readonly HashSet<int> _latestInAnOutage = [];
        public List<string> Errors { get; } = [];

        public int NextQuestion()
        {
            lock (this)
            {
                return ++Asked;
            }
        }

        private int QuestionOfItem(string item, string? text)
        {
            if (text is not null && QuestionOf(text) is { } named)
            {
                _itemQuestion[item] = named;
            }
            if (!_itemQuestion.TryGetValue(item, out var q))
            {
                _itemQuestion[item] = q = Asked;
            }
            return q;
        }

        /// <summary>What was heard of the answer to question <paramref name="q"/>, its pieces joined.</summary>
        public string HeardOf(int q) => string.Join(' ', HeardPieces.GetValueOrDefault(q)?.Select(p => p.Text) ?? []);

        public async Task<string> GetTimeAsync(string question)
        {
            int delay;
            lock (this)
            {
                if (QuestionOf(question) is { } q)
                {
                    Runs[q] = Runs.GetValueOrDefault(q) + 1;
                    note($"the tool runs for question {q}");
                }
                delay = random.Next(1500);
            }
            await Task.Delay(delay).ConfigureAwait(false);
            return $"noon, {question}";
        }

        /// <summary>How question <paramref name="q"/> came out (<see cref="Outcome"/>). Under the lock.</summary>
        public Outcome OutcomeOf(int q)
        {
            // Counted in all that was heard, in order: one answer may report the outputs of several questions (one asked
            // while the tool of the one before still ran), and a report cut short goes on in the next connection's item.
            var times = ReportsOf(q, Normalize(string.Join(' ', _heardInOrder)));
            return times switch
            {
                1 => Outcome.Once,
                > 1 => Outcome.MoreThanOnce,
                _ when HeardPieces.GetValueOrDefault(q) is { Count: > 0 } pieces && pieces[^1].Interrupted && q < Asked => Outcome.CutByTheNext,
                _ when !HeardPieces.ContainsKey(q) && q < Asked && _latestInAnOutage.Contains(q) => Outcome.OvertakenInAnOutage,
                _ => Outcome.Never,
            };
        }

        /// <summary>How many times <paramref name="heard"/> holds the whole report of question <paramref name="q"/>'s output.</summary>
        private static int ReportsOf(int q, string heard)
        {
            var whole = $"The function get_time returned: \"noon, for question {q}\"";
            var times = Count(heard, Normalize(whole));
            // The local agent says the output as the tool returned it: a JSON string, quoted. Else without the quotes.
            return times > 0 ? times : Count(heard, Normalize(whole.Replace("\"", "", StringComparison.Ordinal)));
        }

        private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

        private static int Count(string text, string part)
        {
            var count = 0;
            for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
            {
                var end = at + part.Length;
                if (end == text.Length || !char.IsAsciiDigit(text[end])) // "question 1" is not in "question 12"
                {
                    count++;
                }
            }
            return count;
        }

        public List<int> Unanswered()
        {
            lock (this)
            {
                return Enumerable.Range(1, Asked).Where(q => OutcomeOf(q) == Outcome.Never).ToList();
            }
        }

        private string? _playing;

        public void Add(VoiceSessionOutput output)
        {
            if (output.TryGetAudio(out var frame))
            {
                if (frame.ItemId != _playing && frame.ItemId is { } playing)
                {
                    _playing = playing;
                    int q;
                    lock (this)
                    {
                        q = QuestionOfItem(playing, null);
                    }
                    note($"audio of {playing} plays (question {q})");
                }
                return;
            }
            if (output.Event is TranscriptOutput or FlushOutput or StateOutput)
            {
                note($"output {output.Event}");
            }
            switch (output.Event)
            {
                case TranscriptOutput { Role: TranscriptRole.Assistant, ItemId: { } item } t:
                    var text = _pieces.AddOrUpdate(item, t.Text, (_, before) => before + " " + t.Text);
                    if (t.IsFinal)
                    {
                        lock (this)
                        {
                            var q = QuestionOfItem(item, text);
                            (HeardPieces.TryGetValue(q, out var pieces) ? pieces : HeardPieces[q] = []).Add((text.Trim(), t.Interrupted));
                            _heardInOrder.Add(text.Trim());
                            note($"answer to question {q} heard{(t.Interrupted ? ", cut" : "")}: {text.Trim()}");
                        }
                    }
                    break;
                case StateOutput { State: VoiceSessionState.Reconnecting }:
                    Interlocked.Increment(ref Reconnects);
                    lock (this)
                    {
                        _latestInAnOutage.Add(Asked);
                    }
                    break;
                case ErrorOutput error:
                    lock (this)
                    {
                        Errors.Add(error.Code ?? error.Message);
                    }
                    break;
            }
        }
    }
}
