using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Testing;
using V2V.Voice;
using Xunit.Sdk;

using V2V.Testing.Browser;

namespace V2V.AspNetCore.Tests.Browser;

/// <summary>
/// An app as a .NET developer writes one (voice sessions against a local realtime server in this process,
/// <c>MapVoiceAgent("/voice")</c>, a page at <c>/</c> that imports <c>/voice/voice-agent.js</c>), on a free loopback port,
/// and Debian's chromium to open it.
/// </summary>
internal sealed class BrowserApp : IAsyncDisposable
{
    /// <summary>A guard only: a test that works finishes far sooner; one that does not fails with the page's state.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<WebSocketCloseStatus?> _realtimeCloses;

    private BrowserApp(LocalRealtimeServer realtime, WebApplication app, CapturingLoggerProvider logs, Chromium chromium, ConcurrentQueue<WebSocketCloseStatus?> realtimeCloses)
    {
        _realtimeCloses = realtimeCloses;
        Realtime = realtime;
        App = app;
        Logs = logs;
        Chromium = chromium;
        Url = new Uri(app.Urls.Single());
    }

    public LocalRealtimeServer Realtime { get; }

    public WebApplication App { get; }

    public CapturingLoggerProvider Logs { get; }

    public Chromium Chromium { get; }

    public Uri Url { get; }

    /// <summary>The truncates the voice sessions sent to the realtime server: (item, audio_end_ms).</summary>
    public ConcurrentQueue<(string ItemId, int AudioEndMs)> Truncates { get; private init; } = new();

    /// <summary>The requests of the pages' voice sockets, in order (a test drops one to cut a page's network).</summary>
    public ConcurrentQueue<HttpContext> VoiceSockets { get; private init; } = new();

    /// <summary>How many of the voice sessions' realtime connections have ended (the session behind a socket is gone).</summary>
    public int RealtimeConnectionsEnded => _realtimeCloses.Count;

    public static async Task<BrowserApp> StartAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = "sk-test-" + Guid.NewGuid().ToString("N");
        var closes = new ConcurrentQueue<WebSocketCloseStatus?>();
        // A key the realtime server insists on: the sessions work only with the server's own settings.
        var truncates = new ConcurrentQueue<(string ItemId, int AudioEndMs)>();
        var realtime = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            ApiKey = key,
            ClientCloseObserver = closes.Enqueue,
            ClientEventObserver = e =>
            {
                if (e.GetProperty("type").GetString() == "conversation.item.truncate")
                {
                    truncates.Enqueue((e.GetProperty("item_id").GetString()!, e.GetProperty("audio_end_ms").GetInt32()));
                }
            },
        }, ct);
        try
        {
            var logs = new CapturingLoggerProvider();
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
            builder.Services.AddVoiceSessions(o =>
            {
                o.Connection = new RealtimeClientOptions { BaseUri = realtime.BaseUri, ApiKey = key, Model = "gpt-realtime" };
                o.InputTranscript = true; // the user's words come back as a transcript
            });
            var app = builder.Build();
            app.UseWebSockets();
            var voiceSockets = new ConcurrentQueue<HttpContext>();
            app.Use((http, next) =>
            {
                if (http.WebSockets.IsWebSocketRequest)
                {
                    voiceSockets.Enqueue(http);
                }
                return next(http);
            });
            app.MapVoiceAgent("/voice");
            // A second endpoint with room for one session only: a second page is refused (full).
            app.MapVoiceAgent("/voice-one", o => o.MaxSessions = 1);
            app.MapGet("/", () => Results.Content(TestPage.Html, "text/html; charset=utf-8"));
            await app.StartAsync(ct);
            Chromium? chromium = null;
            try
            {
                chromium = await Chromium.LaunchAsync();
                return new BrowserApp(realtime, app, logs, chromium, closes) { Truncates = truncates, VoiceSockets = voiceSockets };
            }
            catch
            {
                if (chromium is not null)
                {
                    await chromium.DisposeAsync();
                }
                await app.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await realtime.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new page (its own browser context, microphone allowed, the <see cref="TestMicrophone"/> in it) at <c>/</c>.</summary>
    public async Task<AgentPage> OpenPageAsync(Uri? at = null)
    {
        at ??= Url;
        var page = new AgentPage(await Chromium.NewPageAsync(at), this);
        await page.Page.GotoAsync(at.ToString());
        await page.WaitForScriptAsync("() => window.pageReady === true", "the test page's module loaded (it imports /voice/voice-agent.js)");
        return page;
    }

    /// <summary>The last lines the app logged, for a failure's message.</summary>
    public string LogTail(int lines = 40) => string.Join('\n', Logs.Lines.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        await Realtime.DisposeAsync();
    }
}

/// <summary>
/// The test page: imports the client as a developer's page does and starts agents when the test says, keeping what
/// their callbacks told it (window.agents[name].log) and every AudioContext made after it loaded (to see them closed).
/// </summary>
internal static class TestPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>voice agent test page</title></head>
        <body>
        <p>voice agent test page</p>
        <script type="module">
          import { VoiceAgent } from '/voice/voice-agent.js';

          const contexts = [];
          const NativeAudioContext = window.AudioContext;
          window.AudioContext = class extends NativeAudioContext {
            constructor(...args) { super(...args); contexts.push(this); }
          };
          // The agents' contexts still open (the test microphone's own is not theirs).
          window.openAgentContexts = () => contexts.filter((c) => c !== window.v2vTestMicrophone?.context && c.state !== 'closed').length;

          window.agents = {};
          window.startAgent = (name, url) => {
            const entry = window.agents[name] = { agent: null, startError: null, log: [] };
            const note = (what, fields) => {
              const s = entry.agent?.stats;
              entry.log.push({ what, at: Math.round(performance.now()), played: s?.samplesPlayed ?? 0, lastFlush: s?.lastFlush ? { ...s.lastFlush } : null, ...fields });
            };
            const options = {
              onStateChange: (state, error) => note('state', { to: state, error: error?.code ?? null }),
              onFlush: (itemId) => note('flush', { itemId }),
              onError: (error) => note('error', { code: error.code, message: error.message, fatal: error.fatal }),
              onReady: (ready) => note('ready', ready),
              // A tool of the page's: the agent's call changes the page.
              tools: [{
                name: 'set_theme',
                description: 'Sets the colour theme of the page.',
                parameters: { type: 'object', properties: { theme: { type: 'string' } }, required: ['theme'] },
                execute: async ({ theme }) => { document.body.dataset.theme = theme; note('tool', { theme }); return { applied: theme }; },
              }],
            };
            if (url !== null) options.url = url;
            VoiceAgent.start(options).then(
              (agent) => { entry.agent = agent; },
              (error) => { entry.startError = { name: error.name, code: error.code ?? null, message: error.message }; });
          };
          window.pageReady = true;
        </script>
        </body>
        </html>
        """;
}

/// <summary>The test page as a test drives it: agents started by name, waits on what they measured.</summary>
internal sealed class AgentPage(IPage page, BrowserApp app)
{
    public IPage Page { get; } = page;

    /// <summary>Starts an agent in the page (not awaited there: the test waits on its state); null url: the module's default.</summary>
    public Task StartAgentAsync(string name, string? url) =>
        Page.EvaluateAsync("([name, url]) => { window.startAgent(name, url); }", new object?[] { name, url });

    /// <summary>
    /// Waits until <paramref name="predicate"/> holds: JavaScript over <c>e</c> (window.agents[name]), <c>a</c> (its
    /// agent, once started), <c>s</c> (its stats) and <c>t</c> (its transcript lines); false while the agent is not there.
    /// </summary>
    public Task WaitForAsync(string name, string predicate, string what) =>
        WaitForScriptAsync($$"""
            () => {
              const e = window.agents['{{name}}'];
              const a = e && e.agent;
              if (!a) return false;
              const s = a.stats, t = a.transcript;
              return {{predicate}};
            }
            """, what);

    public async Task WaitForScriptAsync(string script, string what)
    {
        try
        {
            await Page.WaitForFunctionAsync(script, null, new PageWaitForFunctionOptions { Timeout = (float)BrowserApp.Patience.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            throw new XunitException($"The page never showed {what} within {BrowserApp.Patience.TotalSeconds:F0} s.\nIts agents: {await AgentsJsonAsync()}\nIts microphone: {await MicrophoneJsonAsync()}\nThe app's log:\n{app.LogTail()}");
        }
    }

    /// <summary>Speaks a WAV into the page's microphone (it starts playing; the test waits for what follows).</summary>
    public async Task SpeakAsync(string wavPath)
    {
        var wav = Convert.ToBase64String(await File.ReadAllBytesAsync(wavPath));
        await Page.EvaluateAsync("wav => window.v2vTestMicrophone.speak(wav)", wav);
    }

    /// <summary>One agent as JSON: { stats, transcript, log, startError, state }.</summary>
    public async Task<JsonElement> AgentAsync(string name) =>
        JsonDocument.Parse(await Page.EvaluateAsync<string>("""
            name => {
              const e = window.agents[name];
              return JSON.stringify({ stats: e.agent?.stats ?? null, transcript: e.agent?.transcript ?? [], log: e.log, startError: e.startError });
            }
            """, name)).RootElement;

    public Task<string> AgentsJsonAsync() => Page.EvaluateAsync<string>("""
        () => JSON.stringify(Object.fromEntries(Object.entries(window.agents ?? {}).map(([k, e]) =>
          [k, { stats: e.agent?.stats ?? null, transcript: e.agent?.transcript ?? [], log: e.log, startError: e.startError }])))
        """);

    /// <summary>What the <see cref="TestMicrophone"/> did: streams opened, their tracks live, when the test spoke.</summary>
    public Task<string> MicrophoneJsonAsync() => Page.EvaluateAsync<string>("""
        () => { const m = window.v2vTestMicrophone; return JSON.stringify(m && { opened: m.streams.length, live: m.liveTracks(), spoken: m.spoken, now: Math.round(performance.now()) }); }
        """);

    /// <summary>Tracks of the test microphone's streams not stopped yet.</summary>
    public Task<int> LiveMicrophoneTracksAsync() => Page.EvaluateAsync<int>("() => window.v2vTestMicrophone.liveTracks()");

    public Task<int> OpenAgentContextsAsync() => Page.EvaluateAsync<int>("() => window.openAgentContexts()");
}

/// <summary>The spoken WAVs of the tests, made once per run with espeak-ng (V2V.Testing's <see cref="Speech"/>).</summary>
internal static class TestSpeech
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("v2v-aspnetcore-speech-").FullName;

    public const string QuestionText = "What is the weather in Paris today?";

    /// <summary>A question at 16 kHz, then silence: one turn, answered.</summary>
    public static string Question() => Cached("question.wav", path => Speech.WriteWav(path, QuestionText, 16000, 1, leadingSilenceMs: 500, trailingSilenceMs: 4000));

    /// <summary>
    /// A long request at 48 kHz: its answer (an echo, as long: about 12 s) is long enough to be barged in on even when a
    /// busy machine lets the test see it playing only seconds after it began (5 s once, with a 6 s answer: it ended first).
    /// </summary>
    public static string LongRequest() => Cached("long-request.wav", path =>
        Speech.WriteWav(path, "Please tell me a long story about the history of Paris and all of its old bridges over the river, about the people who built them, the kings who paid for them, and the floods that took some of them away.", 48000, 1, leadingSilenceMs: 500, trailingSilenceMs: 1000));

    /// <summary>Speech that interrupts the answer while it plays, then silence so the next answer plays.</summary>
    public static string Interruption() => Cached("interruption.wav", path =>
        Speech.WriteWav(path, "Stop, stop. Tell me about London instead.", 48000, 1, leadingSilenceMs: 0, trailingSilenceMs: 6000));

    /// <summary>Seconds of the sentence itself (espeak's own, without the silence around it).</summary>
    public static double Seconds(string text)
    {
        var speech = Speech.Say(text);
        return speech.Samples.Length / (double)speech.SampleRate / speech.Channels;
    }

    private static string Cached(string name, Func<string, string> make)
    {
        var path = Path.Combine(Folder, name);
        lock (Folder)
        {
            return File.Exists(path) ? path : make(path);
        }
    }
}
