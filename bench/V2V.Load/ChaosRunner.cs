using System.Collections.Concurrent;
using System.Diagnostics;
using V2V.Realtime.Client;
using V2V.Realtime.Diagnostics;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.Load;

/// <summary>
/// N sessions in real time while the simulator drops connections at random points (after each event, with a
/// given probability, without a close handshake). Checks that every session reconnects after every drop, and
/// that every turn the server completed on a connection (its transcript done and response.done "completed"
/// received on the wire) reached the session's reader as the same final transcript, or, when the user spoke over
/// its end (the service finishes a turn before it is played), as an interrupted final holding its beginning.
/// </summary>
internal static class ChaosRunner
{
    /// <param name="sessionLifetime">Seconds after which the server ends each session (empty: the service's 60 min).</param>
    // Not connected for longer than this at the check is stuck: longer than the longest backoff of the run (2 s) and a
    // few handshakes on a busy machine; a hung handshake (ConnectTimeout, 15 s) shows.
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(10);

    // What the local agent says when asked for an answer in a conversation that holds no turn of the user's (EchoAgent).
    private const string NoQuestionAnswer = "Hello from the local realtime server.";

    /// <param name="pace">How the server sends answers: <c>realtime</c>, or <c>service</c> (faster than they are played, as the services do).</param>
    /// <param name="profile">The service the server plays and the client speaks to: <c>openai</c>, <c>azure</c> (GA) or <c>azure-preview</c> (beta).</param>
    /// <param name="dropMeanSeconds">Also drop each connection once at a random moment, after this mean time (0: no timed drops).</param>
    /// <param name="inputTranscript">Transcribe the user's turns too, and check that every turn said to be pending got its words or was said not to.</param>
    /// <param name="turnMode">
    /// Who ends the user's turns: <c>server_vad</c> (the default), <c>semantic_vad</c>, <c>local_vad</c> (Silero, here), or
    /// <c>manual</c> (the harness, as a push-to-talk app: a press at each talk spurt's start interrupts, its release ends the turn).
    /// </param>
    public static async Task RunAsync(int sessions, double seconds, double dropProbability, int seed, string sessionLifetime = "", string pace = "realtime", string profile = "openai", double dropMeanSeconds = 0, bool inputTranscript = false, string turnMode = "server_vad")
    {
        var mode = turnMode switch
        {
            "server_vad" => TurnMode.ServerVad,
            "semantic_vad" => TurnMode.SemanticVad,
            "local_vad" => TurnMode.LocalVad,
            "manual" => TurnMode.Manual,
            _ => throw new ArgumentException($"--turn-mode {turnMode}: server_vad, semantic_vad, local_vad or manual"),
        };
        var lifetime = sessionLifetime.Length > 0 ? $" --session-lifetime {sessionLifetime}" : "";
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        await using var server = await SimulatorProcess.StartAsync(1, $"--drop-probability {dropProbability.ToString(invariant)} --drop-mean-seconds {dropMeanSeconds.ToString(invariant)} --drop-seed {seed} --abort{lifetime} --profile {profile}", pace).ConfigureAwait(false);
        var wire = new ConcurrentDictionary<RealtimeClientOptions, Wire>();
        RealtimeProbe.Enable(null, null, (options, e) => wire.GetOrAdd(options, _ => new Wire()).Add(e));
        var stats = new LoadStats();
        var speech = SpeechSignal.Make(30);
        var all = new OursSession[sessions];
        var heard = new Heard[sessions];
        for (int i = 0; i < sessions; i++)
        {
            heard[i] = new Heard(speechToldByTheService: mode is TurnMode.ServerVad or TurnMode.SemanticVad);
        }
        // The sessions' lines join what their readers got, for the timeline of a turn that went wrong.
        var warnings = new WarningTally(onLine: (session, line) => heard[session].Log(line));
        for (int i = 0; i < sessions; i++)
        {
            var index = i;
            all[i] = await OursSession.StartAsync(new Uri(server.RealtimeUri, "/"), new TurnScript(speech, i * 37), stats, o =>
            {
                SpeakTo(o.Connection, profile, server.RealtimeUri);
                // Chaos drops connections again and again: keep reconnecting for the whole run.
                o.ReconnectGiveUpAfter = TimeSpan.FromHours(1);
                o.MaxReconnectDelay = TimeSpan.FromSeconds(2);
                o.LoggerFactory = warnings.For(index);
                o.InputTranscript = inputTranscript;
                o.TurnMode = mode;
            }, heard[i].Add).ConfigureAwait(false);
            if (mode == TurnMode.Manual)
            {
                all[i].PushToTalk = heard[i].Pressed;
            }
        }
        using (var ticker = new Ticker(all, stats, releaseOutput: false))
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
        }
        // Let reconnects settle and answers in flight finish. The server goes on dropping connections meanwhile, so a
        // session may be in a reconnect's backoff at the moment of the check: only one not connected for longer than a
        // backoff and a handshake could take is stuck.
        // An answer to a turn sent again on a connection made at the very end needs the replay heard and the answer
        // played (the server paces in real time): 8 s after the last reconnect.
        var settle = Stopwatch.StartNew();
        while (settle.Elapsed < TimeSpan.FromSeconds(30) && heard.Any(h => h.State != VoiceSessionState.Connected))
        {
            await Task.Delay(200).ConfigureAwait(false);
        }
        // Then until every turn completed on the wire has come out as the session tells it (a turn sent again on a
        // connection made at the very end needs the replay heard and the answer played, in real time), for 30 s at
        // most: a turn still missing then is lost.
        settle.Restart();
        while (settle.Elapsed < TimeSpan.FromSeconds(30) && Enumerable.Range(0, sessions).Any(i => Outcomes(heard[i], wire.GetValueOrDefault(all[i].Connection)).Contains(Outcome.Lost)))
        {
            await Task.Delay(200).ConfigureAwait(false);
        }
        Console.WriteLine($"turns settled {settle.Elapsed.TotalSeconds:F1} s after the reconnects");

        int drops = 0, recovered = 0, stuck = 0, completed = 0, delivered = 0, cutByUser = 0, answeredAgain = 0, lost = 0, mismatched = 0, cutUnasked = 0, wireErrors = 0, cutShort = 0, continued = 0, cutUnheard = 0, cutPlayingOn = 0, toNothing = 0, continuedWithNoQuestion = 0;
        var errorCodes = new List<string>();
        for (int i = 0; i < sessions; i++)
        {
            var h = heard[i];
            drops += h.Reconnecting;
            cutUnasked += h.FlushesWithoutSpeech;
            cutShort += h.CutShort;
            continued += h.CutShortContinued;
            recovered += h.Connected - 1;
            var isStuck = h.State != VoiceSessionState.Connected && Stopwatch.GetElapsedTime(h.NotConnectedSince) > StuckAfter;
            if (isStuck)
            {
                stuck++;
                Console.WriteLine($"session {i}: not connected for {Stopwatch.GetElapsedTime(h.NotConnectedSince).TotalSeconds:F0} s at the end: {h.State} ({h.StateDetail}); its last warning {warnings.LastOf(i) ?? "none"}");
            }
            var w = wire.GetValueOrDefault(all[i].Connection) ?? new Wire();
            wireErrors += w.Errors;
            errorCodes.AddRange(w.ErrorCodes);
            var lostBefore = lost;
            lock (h)
            {
                foreach (var (item, text, at) in w.CompletedNow())
                {
                    completed++;
                    if (text.StartsWith(NoQuestionAnswer, StringComparison.Ordinal))
                    {
                        if (w.IsContinuation(item))
                        {
                            // Asked to go on from an answer cut short, in a conversation that holds no turn of the user's
                            // (their speech is not in the history without its transcript): the local agent cannot.
                            continuedWithNoQuestion++;
                        }
                        else
                        {
                            // Asked for an answer with no turn of the user's in the conversation: their question was lost.
                            toNothing++;
                            Console.WriteLine($"session {i}: turn {item} answered no question of the user's: \"{text}\"");
                            Timeline.Print(item, w.TraceNow(), h.Trace);
                        }
                    }
                    switch (Classify(h, item, text, w, at))
                    {
                        case Outcome.CutPlayingOn:
                            cutPlayingOn++;
                            break;
                        case Outcome.CutByUser:
                            cutByUser++;
                            break;
                        case Outcome.CutUnheard:
                            cutUnheard++;
                            break;
                        case Outcome.AnsweredAgain:
                            answeredAgain++;
                            break;
                        case Outcome.Lost:
                            lost++;
                            var cut = h.Cut.TryGetValue(item, out var heardPart) ? $"came out cut, as \"{heardPart.Trim()}\"" : "never came out final";
                            // Whose cut it was: the user's (a flush just after their speech began), the session's, or none seen.
                            cut += h.CutAfterSpeech.Contains(item) ? ", by the user" : h.CutBySession.ContainsKey(item) ? ", by the session, not answered again" : ", with no flush naming it";
                            cut += w.TruncatedAt(item) is { } truncatedAt ? $"; truncated on the wire at {truncatedAt} ms" : "; never truncated on the wire";
                            Console.WriteLine($"session {i}: completed turn {item} \"{text}\" {cut}");
                            Timeline.Print(item, w.TraceNow(), h.Trace);
                            break;
                        case Outcome.Mismatched:
                            mismatched++;
                            Console.WriteLine($"session {i}: turn {item}: wire \"{text}\" but the session said \"{h.Finals[item]}\"");
                            break;
                        default:
                            delivered++;
                            break;
                    }
                }
            }
            if (w.Errors > 0 || lost > lostBefore || isStuck)
            {
                // What went wrong, in the session's own words up to the end.
                var atError = warnings.AtFirstServerErrorOf(i);
                Console.WriteLine(atError is null
                    ? $"session {i}: its last {WarningTally.KeptLines} log lines at most:"
                    : $"session {i}: its log lines up to the first error event the service sent it ({WarningTally.KeptLines} at most):");
                WarningTally.Print(atError ?? warnings.RecentOf(i));
                lock (h)
                {
                    Timeline.PrintAround("the first error event", line => line.StartsWith("wire: error", StringComparison.Ordinal), w.TraceNow(), h.Trace);
                }
            }
        }
        RealtimeProbe.Enable(null, null);
        await Task.WhenAll(all.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);

        Console.WriteLine();
        var warned = warnings.Lines().ToList();
        if (warned.Count > 0)
        {
            Console.WriteLine("the sessions' warnings and errors, by message:");
        }
        foreach (var line in warned)
        {
            Console.WriteLine(line);
        }
        if (errorCodes.Count > 0)
        {
            Console.WriteLine("error events on the wire: " + string.Join(", ", errorCodes.GroupBy(c => c).Select(g => $"{g.Key} x{g.Count()}")));
        }
        if (!stats.ErrorCodes.IsEmpty)
        {
            Console.WriteLine("errors told the reader: " + string.Join(", ", stats.ErrorCodes.Select(e => $"{e.Key} x{e.Value}")));
        }
        Console.WriteLine("| sessions | audio s each | drop probability per event | connections dropped | reconnected | sessions stuck not connected at the end (over 10 s) | turns completed on the wire | delivered final, same text | cut by the user, the words heard its beginning | cut by the user before a word was heard, truncated at 0 | cut by the session before a word was heard, answered again | lost | text differs | interrupted finals | answers cut with the user silent | answers cut short by a connection's end, what came played on | of them, continued next | errors told the reader | error events on the wire | cut by the user while playing on after their connection ended (nothing to truncate) | answers to no question of the user's |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {sessions} | {seconds:F0} | {dropProbability} | {drops} | {recovered} | {stuck} | {completed} | {delivered} | {cutByUser} | {cutUnheard} | {answeredAgain} | {lost} | {mismatched} | {stats.AssistantInterrupted} | {cutUnasked} | {cutShort} | {continued} | {stats.Errors} | {wireErrors} | {cutPlayingOn} | {toNothing} |");
        if (continuedWithNoQuestion > 0)
        {
            Console.WriteLine($"continuations asked in a conversation holding no turn of the user's (their speech is in the history replayed only once transcribed), which the local agent answers with its hello: {continuedWithNoQuestion}");
        }
        if (inputTranscript)
        {
            Console.WriteLine($"user turns: {heard.Sum(h => h.UserLines)} transcripts told; {heard.Sum(h => h.PendingSaid)} said pending, "
                + $"{heard.Sum(h => h.PendingNotComing)} of them then said not to come, {heard.Sum(h => h.PendingUnresolved.Count)} never resolved at the end; "
                + $"{heard.Sum(h => h.PendingOutOfTurn)} words or \"will not come\" for a turn not said pending");
        }
    }

    /// <summary>The client's endpoint for the server's profile, as a user of that service configures it (<paramref name="served"/>: the URL the server says it serves).</summary>
    private static void SpeakTo(RealtimeClientOptions connection, string profile, Uri served)
    {
        switch (profile)
        {
            case "openai":
                break;
            case "azure":
                connection.Vendor = RealtimeVendor.Azure;
                connection.ApiKey = "chaos";
                break;
            case "azure-preview":
                connection.Vendor = RealtimeVendor.Azure;
                connection.ApiKey = "chaos";
                connection.Model = "gpt-4o-realtime-preview";
                connection.Path = served.PathAndQuery; // the preview path, its api-version and deployment
                connection.Dialect = V2V.Realtime.Protocol.RealtimeDialect.Beta;
                break;
            default:
                throw new ArgumentException($"--profile {profile}: openai, azure or azure-preview");
        }
    }

    private enum Outcome { Delivered, CutByUser, CutUnheard, AnsweredAgain, CutPlayingOn, Lost, Mismatched }

    /// <summary>How each turn the server completed for a session came out of it, so far.</summary>
    private static List<Outcome> Outcomes(Heard h, Wire? w)
    {
        lock (h)
        {
            return (w?.CompletedNow() ?? []).Select(t => Classify(h, t.Item, t.Text, w!, t.At)).ToList();
        }
    }

    /// <summary>How one turn the server completed came out of the session (under the lock of <paramref name="h"/>).</summary>
    private static Outcome Classify(Heard h, string item, string text, Wire w, long completedAt)
    {
        if (!h.Finals.ContainsKey(item) && !h.Cut.ContainsKey(item) && w.TruncatedAtZero(item))
        {
            // Never heard, and the session told the service so: an answer waiting behind another still playing (one of
            // an ended connection, playing on) when the user spoke over them.
            return Outcome.CutUnheard;
        }
        if (h.Cut.TryGetValue(item, out var heardPart) && Normalize(heardPart).Length > 0
            && Normalize(text).StartsWith(Normalize(heardPart), StringComparison.Ordinal))
        {
            // The service finished it before it was played, and the user spoke over it (the script's next question lands
            // late in an answer once a reconnect has shifted its timing): what came out is the words heard, a beginning
            // of the turn. Cut with no words, it counts as lost.
            return Outcome.CutByUser;
        }
        if (heardPart is not null && h.CutAfterSpeech.Contains(item) && w.Truncated(item))
        {
            // The user spoke over it (perhaps before a whole word of it was heard), and the service was told where it was
            // cut: a truncate deletes the item's transcript, so one that came while the service was still making the
            // answer leaves its done transcript empty.
            return Outcome.CutByUser;
        }
        if (heardPart is not null && Normalize(heardPart).Length == 0 && h.CutBySession.TryGetValue(item, out var cutAt)
            && h.FinalsInOrder.Any(f => f.At > cutAt && f.Item != item && Normalize(f.Text) == Normalize(text)))
        {
            // A forced renewal cut it before a word was heard: it answered nothing, the turn was sent to the new
            // connection, and the same answer came again there (the words of the echo agent's answer say so).
            return Outcome.AnsweredAgain;
        }
        if (!h.Finals.TryGetValue(item, out var said))
        {
            // Its connection ended after it came whole, it played on, and the user spoke over it there (or over one before
            // it): the live connection never had it, so nothing is truncated, and what was heard of it may be no word.
            return (heardPart is null || Normalize(heardPart).Length == 0) && w.TruncatedAt(item) is null && h.UserCutAfterANewConnection(completedAt)
                ? Outcome.CutPlayingOn
                : Outcome.Lost;
        }
        return Normalize(said) == Normalize(text) ? Outcome.Delivered : Outcome.Mismatched;
    }

    private static string Normalize(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>What one session's connections received: turns completed by the server, by item id.</summary>
    private sealed class Wire
    {
        // Per response, its items' transcripts as they are done: a long answer comes as several items of one response.
        private readonly Dictionary<string, List<(string Item, string Text)>> _transcripts = [];

        private readonly List<(string Item, string Text, long At)> _completed = [];

        private readonly HashSet<string> _truncatedAtZero = [];

        // The session's request to go on from an answer cut short: its note ("cut off"), then the response it asks for.
        private bool _continuationNoteAdded;
        private readonly HashSet<string> _continuationResponses = [];
        private readonly HashSet<string> _continuationItems = [];

        /// <summary>Whether <paramref name="item"/> is of a response the session asked for to go on from an answer cut short.</summary>
        public bool IsContinuation(string item)
        {
            lock (this)
            {
                return _continuationItems.Contains(item);
            }
        }

        private readonly Dictionary<string, int> _truncated = [];

        /// <summary>Whether the service confirmed <paramref name="item"/> truncated (anywhere).</summary>
        public bool Truncated(string item) => TruncatedAt(item) is not null;

        /// <summary>Where the service confirmed <paramref name="item"/> truncated (null: never).</summary>
        public int? TruncatedAt(string item)
        {
            lock (this)
            {
                return _truncated.TryGetValue(item, out var at) ? at : null;
            }
        }

        /// <summary>Whether the service confirmed <paramref name="item"/> truncated at 0 (no word of it heard).</summary>
        public bool TruncatedAtZero(string item)
        {
            lock (this)
            {
                return _truncatedAtZero.Contains(item);
            }
        }

        /// <summary>The turns completed so far (a copy: the connection's reader goes on adding).</summary>
        public List<(string Item, string Text, long At)> CompletedNow()
        {
            lock (this)
            {
                return [.. _completed];
            }
        }

        /// <summary>Error events the server sent (each one a client event it refused, or a fault of its own).</summary>
        public int Errors { get; private set; }

        /// <summary>Each error's code, in order.</summary>
        public List<string> ErrorCodes { get; } = [];

        /// <summary>What came on the wire, in order, as lines (audio deltas of an item in a row as one line).</summary>
        private readonly List<Timeline.Entry> _trace = [];

        /// <summary>A copy of the wire's lines so far.</summary>
        public List<Timeline.Entry> TraceNow()
        {
            lock (this)
            {
                return [.. _trace];
            }
        }

        public void Add(V2V.Realtime.Protocol.RealtimeServerEvent e)
        {
            lock (this)
            {
                Timeline.AddWire(_trace, e);
                switch (e)
                {
                    case ErrorEvent error:
                        Errors++;
                        ErrorCodes.Add(error.Error.Code ?? error.Error.Type ?? "?");
                        break;
                    case ConversationItemTruncatedEvent truncated:
                        _truncated[truncated.ItemId] = truncated.AudioEndMs;
                        if (truncated.AudioEndMs == 0)
                        {
                            _truncatedAtZero.Add(truncated.ItemId);
                        }
                        break;
                    case ConversationItemAddedEvent { Item: { Role: "system" } note } when note.Content?.Exists(c => c.Text?.Contains("cut off", StringComparison.Ordinal) == true) == true:
                        _continuationNoteAdded = true;
                        break;
                    case ResponseCreatedEvent { Response.Id: { } created } when _continuationNoteAdded:
                        _continuationNoteAdded = false;
                        _continuationResponses.Add(created);
                        break;
                    case ResponseOutputAudioTranscriptDoneEvent done when _continuationResponses.Contains(done.ResponseId):
                        _continuationItems.Add(done.ItemId);
                        (_transcripts.TryGetValue(done.ResponseId, out var continued) ? continued : _transcripts[done.ResponseId] = []).Add((done.ItemId, done.Transcript));
                        break;
                    case ResponseOutputAudioTranscriptDoneEvent done:
                        (_transcripts.TryGetValue(done.ResponseId, out var items) ? items : _transcripts[done.ResponseId] = []).Add((done.ItemId, done.Transcript));
                        break;
                    case ResponseDoneEvent { Response: { Status: "completed", Id: { } id } } when _transcripts.Remove(id, out var t):
                        var at = Stopwatch.GetTimestamp();
                        _completed.AddRange(t.Select(c => (c.Item, c.Text, at)));
                        break;
                }
            }
        }
    }

    /// <summary>What one session's reader got: states and final assistant transcripts, by item id.</summary>
    /// <param name="speechToldByTheService">
    /// The speech outputs come from the service's turn detection, whose end a lost connection never tells; else from the
    /// local detector or the harness's push-to-talk, which go on across connections.
    /// </param>
    private sealed class Heard(bool speechToldByTheService)
    {
        private readonly Dictionary<string, string> _pieces = [];

        public Dictionary<string, string> Finals { get; } = [];

        /// <summary>Finals of answers the user cut (a barge-in while the rest still played), by item id.</summary>
        public Dictionary<string, string> Cut { get; } = [];

        /// <summary>
        /// Flushes while the user was not speaking (between a speech start and its end told, or the next connection): an
        /// answer cut by the session itself (a connection's end, a forced renewal). Told by the speech outputs, not by
        /// the output just before the flush: the pacer's words of the answer may come between the two.
        /// </summary>
        public int FlushesWithoutSpeech { get; private set; }

        private bool _userSpeaking;
        private long _sequence;

        // When the session went live on a connection, and when a flush came while the user spoke (Stopwatch timestamps).
        private readonly List<long> _connectedAt = [];
        private readonly List<long> _userFlushAt = [];

        /// <summary>A connection went live after <paramref name="since"/>, and after that the user cut the agent.</summary>
        public bool UserCutAfterANewConnection(long since)
        {
            var connected = _connectedAt.FirstOrDefault(c => c > since);
            return connected != 0 && _userFlushAt.Exists(f => f > connected);
        }

        /// <summary>Items whose playing the session itself cut (no speech of the user's just before), with when.</summary>
        public Dictionary<string, long> CutBySession { get; } = [];

        /// <summary>Items whose playing a flush cut just after the user began to speak.</summary>
        public HashSet<string> CutAfterSpeech { get; } = [];

        /// <summary>
        /// Answers whose final came interrupted with no flush and the user not speaking: cut short by a connection's end
        /// after what of them came played on.
        /// </summary>
        public int CutShort { get; private set; }

        /// <summary>Of <see cref="CutShort"/>, those whose next final of the agent, with no speech of the user's between, went on from them.</summary>
        public int CutShortContinued { get; private set; }

        private bool _continuationAwaited;

        /// <summary>User turns said pending whose words did not come and that were not said not to come.</summary>
        public HashSet<string> PendingUnresolved { get; } = [];

        public int PendingSaid { get; private set; }

        public int PendingNotComing { get; private set; }

        public int UserLines { get; private set; }

        /// <summary>Words, or a "will not come", for a user turn not said pending: a broken promise to a host that holds turns.</summary>
        public int PendingOutOfTurn { get; private set; }

        /// <summary>Every final transcript of the agent, in the order the reader got them.</summary>
        public List<(long At, string Item, string Text)> FinalsInOrder { get; } = [];
        public VoiceSessionState State { get; private set; }
        public string? StateDetail { get; private set; }
        /// <summary>When the session last entered a state other than Connected (a Stopwatch timestamp; 0 while connected).</summary>
        public long NotConnectedSince { get; private set; }
        public int Connected { get; private set; }
        public int Reconnecting { get; private set; }

        /// <summary>Push-to-talk pressed (true) or released: the user speaks, as a speech output would say with turn detection.</summary>
        public void Pressed(bool down)
        {
            lock (this)
            {
                Trace.Add(new Timeline.Entry(Stopwatch.GetTimestamp(), down ? "harness: push-to-talk pressed" : "harness: push-to-talk released"));
                _userSpeaking = down;
                _continuationAwaited &= !down;
            }
        }

        /// <summary>An output the session's reader got; read under this object's lock, as the reader goes on.</summary>
        public void Add(VoiceSessionOutput output)
        {
            lock (this)
            {
                AddLocked(output);
            }
        }

        /// <summary>What the reader got and the harness did, in order (read under this object's lock).</summary>
        public List<Timeline.Entry> Trace { get; } = [];

        /// <summary>A line the session logged.</summary>
        public void Log(string line)
        {
            lock (this)
            {
                Trace.Add(new Timeline.Entry(Stopwatch.GetTimestamp(), "session: " + line));
            }
        }

        private void AddLocked(VoiceSessionOutput output)
        {
            Timeline.AddOutput(Trace, output.Event);
            _sequence++;
            if (output.Event is FlushOutput flush && !_userSpeaking)
            {
                FlushesWithoutSpeech++;
                if (flush.InterruptedItemId is { } cutItem)
                {
                    CutBySession[cutItem] = _sequence;
                }
            }
            else if (output.Event is FlushOutput { InterruptedItemId: { } userCut })
            {
                CutAfterSpeech.Add(userCut);
                _userFlushAt.Add(Stopwatch.GetTimestamp());
            }
            if (output.Event is UserSpeechOutput speech)
            {
                _userSpeaking = speech.Started;
                _continuationAwaited &= !speech.Started;
            }
            else if (output.Event is StateOutput { State: VoiceSessionState.Connected } && speechToldByTheService)
            {
                _userSpeaking = false; // a speech start whose end the old connection never told
            }
            switch (output.Event)
            {
                case UserTranscriptPendingOutput { Pending: true } p:
                    PendingSaid++;
                    PendingUnresolved.Add(p.ItemId);
                    break;
                case UserTranscriptPendingOutput p:
                    if (PendingUnresolved.Remove(p.ItemId))
                    {
                        PendingNotComing++;
                    }
                    else
                    {
                        PendingOutOfTurn++; // said not to come, never said pending (or said twice)
                    }
                    break;
                case TranscriptOutput { Role: TranscriptRole.User } u:
                    UserLines++;
                    if (u.ItemId is not { } said || !PendingUnresolved.Remove(said))
                    {
                        PendingOutOfTurn++; // words of a turn never said pending
                    }
                    break;
                case StateOutput s:
                    if (s.State != VoiceSessionState.Connected && State == VoiceSessionState.Connected)
                    {
                        NotConnectedSince = Stopwatch.GetTimestamp();
                    }
                    State = s.State;
                    StateDetail = s.Detail;
                    if (s.State == VoiceSessionState.Connected)
                    {
                        Connected++;
                        _connectedAt.Add(Stopwatch.GetTimestamp());
                    }
                    else if (s.State == VoiceSessionState.Reconnecting)
                    {
                        Reconnecting++;
                    }
                    break;
                case TranscriptOutput { Role: TranscriptRole.Assistant, ItemId: { } item } t:
                    _pieces[item] = _pieces.GetValueOrDefault(item, "") + " " + t.Text;
                    if (t.IsFinal)
                    {
                        if (t.Interrupted && !_userSpeaking && !CutBySession.ContainsKey(item) && !CutAfterSpeech.Contains(item))
                        {
                            CutShort++;
                            _continuationAwaited = true;
                        }
                        else if (!t.Interrupted && _continuationAwaited)
                        {
                            CutShortContinued++;
                            _continuationAwaited = false;
                        }
                        (t.Interrupted ? Cut : Finals)[item] = _pieces[item];
                        if (!t.Interrupted)
                        {
                            FinalsInOrder.Add((_sequence, item, _pieces[item]));
                        }
                    }
                    break;
            }
        }
    }
}
