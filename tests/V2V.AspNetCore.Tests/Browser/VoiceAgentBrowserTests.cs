using System.Text.Json;
using System.Globalization;
using System.Text.RegularExpressions;

using V2V.AspNetCore.Tests.Support;

namespace V2V.AspNetCore.Tests.Browser;

/// <summary>
/// voice-agent.js in a real browser (Debian's chromium) against <c>MapVoiceAgent</c> in a real app, backed by the local
/// realtime server: the test speaks into the page's microphone and watches what the client measured. The tests of
/// this class run one after another (one real-time session at a time on a busy machine).
/// </summary>
public sealed partial class VoiceAgentBrowserTests
{
    [Fact]
    public async Task SpokenQuestion_IsTranscribedAnsweredAndPlayed_AndStopReleasesTheMicrophone()
    {
        await using var app = await BrowserApp.StartAsync();
        var page = await app.OpenPageAsync();

        // No url: the module finds its endpoint from its own URL (/voice/voice-agent.js -> ws://.../voice).
        await page.StartAgentAsync("main", url: null);
        await page.WaitForAsync("main", "s.state === 'listening'", "the agent listening (the server's ready)");
        Assert.Equal(1, await page.LiveMicrophoneTracksAsync());
        Assert.Equal(1, await page.OpenAgentContextsAsync());

        await page.SpeakAsync(TestSpeech.Question());
        await page.WaitForAsync("main", "t.some(l => l.role === 'user' && l.final && l.text.length > 0)", "a final user line");
        // The answer has played out when the player has played all the server sent (its final words come after its audio).
        await page.WaitForAsync("main", "t.some(l => l.role === 'assistant' && l.final) && s.state === 'listening' && s.samplesReceived > 0 && s.samplesPlayed === s.samplesReceived && s.samplesFlushed === 0",
            "the agent's answer transcribed and all of its audio played");

        var agent = await page.AgentAsync("main");
        var stats = agent.GetProperty("stats");
        var lines = agent.GetProperty("transcript").EnumerateArray().ToList();
        var user = Assert.Single(lines, l => l.GetProperty("role").GetString() == "user");
        var answer = Assert.Single(lines, l => l.GetProperty("role").GetString() == "assistant");
        Assert.False(answer.GetProperty("interrupted").GetBoolean());
        // The user's line comes first, though its words came after the answer's had begun (it was kept in place).
        Assert.True(lines.IndexOf(user) < lines.IndexOf(answer), $"lines out of order: {agent.GetProperty("transcript")}");

        // The local server's transcript of a turn is its length, and its answer says the same length back: the line
        // pair is one turn, and the length is the question's (the microphone reached the server at the rate announced).
        var heard = Seconds(user.GetProperty("text").GetString()!);
        Assert.Equal(heard, Seconds(answer.GetProperty("text").GetString()!));
        var spoken = TestSpeech.Seconds(TestSpeech.QuestionText);
        Assert.InRange(heard, spoken * 0.8, spoken + 1.5);

        // The answer is the question's audio said back: the player played that much, in the server's samples.
        var outputRate = stats.GetProperty("outputSampleRate").GetInt32();
        var played = stats.GetProperty("samplesPlayed").GetInt64();
        Assert.InRange(played, (long)((heard - 0.1) * outputRate), (long)((heard + 0.1) * outputRate));
        Assert.True(stats.GetProperty("micChunksSent").GetInt32() > 0);
        Assert.Equal(0, stats.GetProperty("flushes").GetInt32());
        Assert.Equal(0, stats.GetProperty("errors").GetInt32());
        Assert.False(string.IsNullOrEmpty(stats.GetProperty("session").GetString()));
        Assert.Contains(agent.GetProperty("log").EnumerateArray(), e => e.GetProperty("what").GetString() == "state" && e.GetProperty("to").GetString() == "speaking");

        // A typed turn: the local server answers a text with the text, spoken.
        var typed = $"typed turn {Guid.NewGuid():N}";
        Assert.True(await page.Page.EvaluateAsync<bool>("text => window.agents.main.agent.sendText(text)", typed));
        await page.WaitForAsync("main", $"t.some(l => l.role === 'assistant' && l.final && l.text.includes('{typed}')) && s.state === 'listening' && s.samplesPlayed === s.samplesReceived && s.samplesPlayed > {played}",
            "the answer to the typed turn transcribed and played");

        // stop(): resolves with the microphone released and the audio closed; the server's session ends with the socket.
        var endedBefore = app.RealtimeConnectionsEnded;
        await page.Page.EvaluateAsync("() => window.agents.main.agent.stop()");
        Assert.Equal(0, await page.LiveMicrophoneTracksAsync());
        Assert.Equal(0, await page.OpenAgentContextsAsync());
        Assert.Equal("stopped", (await page.AgentAsync("main")).GetProperty("stats").GetProperty("state").GetString());
        Assert.False(await page.Page.EvaluateAsync<bool>("() => window.agents.main.agent.sendText('anyone there?')"));
        await WaitUntilAsync(() => app.RealtimeConnectionsEnded > endedBefore, "the voice session's realtime connection closed after stop()", page, app);
    }

    [Fact]
    public async Task SpeechDuringTheAnswer_FlushesThePlayer_AsDoesInterrupt()
    {
        await using var app = await BrowserApp.StartAsync();
        var page = await app.OpenPageAsync();
        await page.StartAgentAsync("main", url: "/voice"); // relative to the page, as a developer writes it
        await page.WaitForAsync("main", "s.state === 'listening'", "the agent listening (the server's ready)");

        await page.SpeakAsync(TestSpeech.LongRequest());
        await page.WaitForAsync("main", "s.state === 'speaking' && s.samplesPlayed > 0", "the answer playing");
        await page.SpeakAsync(TestSpeech.Interruption());

        await page.WaitForAsync("main", "s.flushes >= 1 && s.lastFlush.bufferedAfter !== null", "a flush reaching the player");
        var firstFlush = (await page.AgentAsync("main")).GetProperty("stats").GetProperty("lastFlush");
        Assert.Equal(0, firstFlush.GetProperty("bufferedAfter").GetInt32());
        await page.WaitForAsync("main", "t.some(l => l.role === 'assistant' && l.final && l.interrupted)", "the cut answer's line marked interrupted");
        // The page reports what it played: the answer was cut where the listener was, never past it (what the page had
        // received, buffered to ride over the network's jitter, was ahead of that).
        var cutItem = firstFlush.GetProperty("itemId").GetString();
        await WaitUntilAsync(() => app.Truncates.Any(t => t.ItemId == cutItem), "the cut answer's truncate at the realtime server", page, app);
        var (_, truncatedAt) = Assert.Single(app.Truncates, t => t.ItemId == cutItem);
        Assert.InRange(truncatedAt, 1, firstFlush.GetProperty("playedMs").GetDouble() + 0.5);
        // The answer to the barge-in plays: the player starts again with nothing of the cut answer left in it.
        await page.WaitForAsync("main", "s.state === 'speaking' && e.log.some((x, i) => x.what === 'flush' && e.log.slice(i).some(y => y.what === 'state' && y.to === 'speaking'))",
            "the answer to the barge-in playing");

        // interrupt() cuts that answer too: the server's flush comes back and clears the player.
        var flushes = (await page.AgentAsync("main")).GetProperty("stats").GetProperty("flushes").GetInt32();
        Assert.True(await page.Page.EvaluateAsync<bool>("() => window.agents.main.agent.interrupt()"));
        await page.WaitForAsync("main", $"s.flushes > {flushes} && s.lastFlush.bufferedAfter !== null && s.state === 'listening'", "the flush of interrupt() clearing the player");
        var agent = await page.AgentAsync("main");
        Assert.Equal(0, agent.GetProperty("stats").GetProperty("lastFlush").GetProperty("bufferedAfter").GetInt32());
        // What the flushes dropped was never played: all else that came was (a flush that did not stick would play more).
        await page.WaitForAsync("main", "s.samplesFlushed > 0 && s.samplesBuffered === 0 && s.samplesPlayed === s.samplesReceived - s.samplesFlushed",
            "every sample received played, but those the flushes dropped");
        Assert.Equal(0, agent.GetProperty("stats").GetProperty("errors").GetInt32());

        await page.Page.EvaluateAsync("() => window.agents.main.agent.stop()");
        Assert.Equal(0, await page.LiveMicrophoneTracksAsync());
        Assert.Equal(0, await page.OpenAgentContextsAsync());
        TestContext.Current.TestOutputHelper?.WriteLine($"agent: {await page.AgentsJsonAsync()}");
    }

    [Fact]
    public async Task RefusedSessions_RejectStart_WithTheirCode_AndReleaseTheMicrophone()
    {
        await using var app = await BrowserApp.StartAsync();
        var page = await app.OpenPageAsync();

        // No endpoint there: the handshake fails.
        await page.StartAgentAsync("nowhere", url: "/no-voice-here");
        await page.WaitForScriptAsync("() => window.agents.nowhere.startError !== null", "start() of an agent with no endpoint rejected");
        // An endpoint with room for one session: the second page's is refused (full).
        await page.StartAgentAsync("first", url: "/voice-one");
        await page.WaitForAsync("first", "s.state === 'listening'", "the first agent of /voice-one listening");
        await page.StartAgentAsync("second", url: "/voice-one");
        await page.WaitForScriptAsync("() => window.agents.second.startError !== null", "start() of the second agent of /voice-one rejected");

        Assert.Equal("connection_failed", (await page.AgentAsync("nowhere")).GetProperty("startError").GetProperty("code").GetString());
        Assert.Equal("full", (await page.AgentAsync("second")).GetProperty("startError").GetProperty("code").GetString());
        foreach (var name in new[] { "nowhere", "second" })
        {
            // Start failures reject start() and end in 'failed'; they are not told to onError as well.
            var log = (await page.AgentAsync(name)).GetProperty("log").EnumerateArray().ToList();
            Assert.Equal("failed", log.Last(e => e.GetProperty("what").GetString() == "state").GetProperty("to").GetString());
            Assert.DoesNotContain(log, e => e.GetProperty("what").GetString() == "error");
        }
        // Only the first agent holds a microphone and an AudioContext: the refused ones let theirs go.
        Assert.Equal(1, await page.LiveMicrophoneTracksAsync());
        Assert.Equal(1, await page.OpenAgentContextsAsync());
        await page.Page.EvaluateAsync("() => window.agents.first.agent.stop()");
        Assert.Equal(0, await page.LiveMicrophoneTracksAsync());
        Assert.Equal(0, await page.OpenAgentContextsAsync());
    }

    [Fact]
    public async Task ALostSocket_IsReplaced_AndTheSameConversationGoesOn()
    {
        await using var app = await BrowserApp.StartAsync();
        var page = await app.OpenPageAsync();
        await page.StartAgentAsync("main", url: null);
        await page.WaitForAsync("main", "s.state === 'listening'", "the agent listening (the server's ready)");
        var before = $"before the loss {Guid.NewGuid():N}";
        Assert.True(await page.Page.EvaluateAsync<bool>("text => window.agents.main.agent.sendText(text)", before));
        await page.WaitForAsync("main", $"t.some(l => l.role === 'assistant' && l.final && l.text.includes('{before}')) && s.state === 'listening'", "the first answer");
        var session = (await page.AgentAsync("main")).GetProperty("stats").GetProperty("session").GetString();

        // The page's network goes: its connection is dropped without a WebSocket close (the page sees 1006).
        Assert.True(app.VoiceSockets.TryPeek(out var socket));
        socket.Abort();
        await page.WaitForAsync("main", "s.resumes === 1 && s.state === 'listening'", "the agent back, on a new socket");
        var after = $"after the loss {Guid.NewGuid():N}";
        Assert.True(await page.Page.EvaluateAsync<bool>("text => window.agents.main.agent.sendText(text)", after));
        await page.WaitForAsync("main", $"t.some(l => l.role === 'assistant' && l.final && l.text.includes('{after}'))", "the answer on the new socket");

        var agent = await page.AgentAsync("main");
        var log = agent.GetProperty("log").EnumerateArray().ToList();
        Assert.Contains(log, e => e.GetProperty("what").GetString() == "state" && e.GetProperty("to").GetString() == "reconnecting");
        Assert.Equal(session, agent.GetProperty("stats").GetProperty("session").GetString()); // the same session
        Assert.Contains(agent.GetProperty("transcript").EnumerateArray(), l => l.GetProperty("text").GetString()!.Contains(before, StringComparison.Ordinal));
        Assert.Equal(0, agent.GetProperty("stats").GetProperty("errors").GetInt32());
        Assert.Equal(1, await page.LiveMicrophoneTracksAsync()); // the microphone stayed open
        Assert.Equal(2, app.VoiceSockets.Count);
        await page.Page.EvaluateAsync("() => window.agents.main.agent.stop()");
        Assert.Equal(0, await page.LiveMicrophoneTracksAsync());
    }

    [Fact]
    public async Task ANetworkThatGoesSilent_IsFoundByTheHeartbeat_AndTheSessionTakenBackOnANewSocket()
    {
        await using var app = await BrowserApp.StartAsync();
        await using var network = new FreezableProxy(app.Url);
        var page = await app.OpenPageAsync(network.Url);
        await page.StartAgentAsync("main", url: null);
        await page.WaitForAsync("main", "s.state === 'listening'", "the agent listening (the server's ready)");
        var session = (await page.AgentAsync("main")).GetProperty("stats").GetProperty("session").GetString();

        // Nothing is closed: the socket just carries nothing more, either way. No pong comes back to the page's pings.
        Assert.True(network.Freeze() > 0);
        await page.WaitForAsync("main", "s.resumes === 1 && s.state === 'listening'", "the agent back, on a new socket");
        var after = $"after the silence {Guid.NewGuid():N}";
        Assert.True(await page.Page.EvaluateAsync<bool>("text => window.agents.main.agent.sendText(text)", after));
        await page.WaitForAsync("main", $"t.some(l => l.role === 'assistant' && l.final && l.text.includes('{after}'))", "the answer on the new socket");

        var agent = await page.AgentAsync("main");
        Assert.Equal(session, agent.GetProperty("stats").GetProperty("session").GetString());
        Assert.Contains(agent.GetProperty("log").EnumerateArray(), e => e.GetProperty("what").GetString() == "state" && e.GetProperty("to").GetString() == "reconnecting");
        Assert.Equal(0, agent.GetProperty("stats").GetProperty("errors").GetInt32());
        await page.Page.EvaluateAsync("() => window.agents.main.agent.stop()");
    }

    [Fact]
    public async Task TheAgentCallsAToolOfThePage_WhichRunsInThePage_AndTheAnswerUsesItsResult()
    {
        await using var app = await BrowserApp.StartAsync();
        var page = await app.OpenPageAsync();
        await page.StartAgentAsync("main", url: null);
        await page.WaitForAsync("main", "s.state === 'listening'", "the agent listening (the server's ready)");

        Assert.True(await page.Page.EvaluateAsync<bool>("() => window.agents.main.agent.sendText('Please set_theme dark')"));
        await page.WaitForAsync("main", "s.toolCalls === 1 && t.some(l => l.role === 'assistant' && l.final && l.text.includes('applied'))", "the tool's result in the agent's answer");

        Assert.Equal("dark", await page.Page.EvaluateAsync<string>("() => document.body.dataset.theme"));
        var agent = await page.AgentAsync("main");
        Assert.Contains(agent.GetProperty("log").EnumerateArray(), e => e.GetProperty("what").GetString() == "tool");
        Assert.Equal(0, agent.GetProperty("stats").GetProperty("errors").GetInt32());
        await page.Page.EvaluateAsync("() => window.agents.main.agent.stop()");
    }

    [Fact]
    public async Task TheTypeScriptDeclarations_NameWhatTheClientHas()
    {
        await using var app = await BrowserApp.StartAsync();
        var page = await app.OpenPageAsync();
        using var http = new HttpClient { BaseAddress = app.Url };
        using var response = await http.GetAsync("/voice/voice-agent.d.ts", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var declarations = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        // What an agent has before it starts: its methods and getters, and its stats' fields.
        var actual = JsonDocument.Parse(await page.Page.EvaluateAsync<string>("""
            async () => {
              const { VoiceAgent } = await import('/voice/voice-agent.js');
              const agent = new VoiceAgent({ url: 'ws://127.0.0.1:9/nowhere' });
              const members = Object.getOwnPropertyNames(VoiceAgent.prototype).filter((n) => n !== 'constructor');
              return JSON.stringify({ members: [...members, ...Object.keys(agent)], stats: Object.keys(agent.stats), statics: Object.getOwnPropertyNames(VoiceAgent).filter((n) => typeof VoiceAgent[n] === 'function') });
            }
            """)).RootElement;
        var agentClass = Block(declarations, "export declare class VoiceAgent {");
        var declaredMembers = DeclaredNames(agentClass, statics: false).Where(n => n != "constructor").Order();
        var declaredStats = DeclaredNames(Block(declarations, "export interface VoiceAgentStats {"), statics: false).Order();

        Assert.Equal(actual.GetProperty("members").EnumerateArray().Select(e => e.GetString()!).Order(), declaredMembers);
        Assert.Equal(actual.GetProperty("stats").EnumerateArray().Select(e => e.GetString()!).Order(), declaredStats);
        Assert.Equal(actual.GetProperty("statics").EnumerateArray().Select(e => e.GetString()!).Order(), DeclaredNames(agentClass, statics: true).Order());
    }

    // The body of the declaration that opens with `opening`, to its closing brace at the line's start.
    private static string Block(string text, string opening)
    {
        var start = text.IndexOf(opening, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no '{opening}' in voice-agent.d.ts");
        var end = text.IndexOf("\n}", start, StringComparison.Ordinal);
        return text[(start + opening.Length)..end];
    }

    // The members a declaration body names (`name(`, `name:`, `name?:`, `readonly name:`), or its statics (`static name(`).
    private static IEnumerable<string> DeclaredNames(string body, bool statics) =>
        DeclaredName().Matches(body).Where(m => m.Groups["static"].Success == statics).Select(m => m.Groups["name"].Value).Distinct();

    [GeneratedRegex(@"^\s*(?<static>static\s+)?(?:readonly\s+)?(?<name>[A-Za-z]\w*)\??\s*[(:]", RegexOptions.Multiline)]
    private static partial Regex DeclaredName();

    private static double Seconds(string text)
    {
        var match = SecondsPattern().Match(text);
        Assert.True(match.Success, $"no length of speech in '{text}'");
        return double.Parse(match.Value, CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, AgentPage page, BrowserApp app)
    {
        var deadline = DateTime.UtcNow + BrowserApp.Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Never saw {what} within {BrowserApp.Patience.TotalSeconds:F0} s. Agents: {await page.AgentsJsonAsync()}\nThe app's log:\n{app.LogTail()}");
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex(@"\d+\.\d+")]
    private static partial Regex SecondsPattern();
}
