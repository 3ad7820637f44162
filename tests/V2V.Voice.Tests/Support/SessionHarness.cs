using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Protocol;
using V2V.Simulator;
using V2V.Voice.Outputs;

namespace V2V.Voice.Tests.Support;

/// <summary>
/// A voice session against the local realtime server on a real loopback WebSocket: the outputs the session
/// gives, and every client event the server received (the server's own record, not the client's word).
/// </summary>
internal sealed class SessionHarness : IAsyncDisposable
{
    private readonly List<VoiceSessionEvent> _outputs = [];
    private readonly object _gate = new();
    private Task _reader = Task.CompletedTask;
    private ILoggerFactory? _clientLog;

    private SessionHarness(LocalRealtimeServer server) => Server = server;

    public LocalRealtimeServer Server { get; }

    public VoiceSession Session { get; private set; } = null!;

    public ConcurrentQueue<JsonElement> ClientEvents { get; } = new();

    /// <summary>The types of the server events the session's realtime client received, in order (from its trace log).</summary>
    public ConcurrentQueue<string> ReceivedEvents { get; } = new();

    public static async Task<SessionHarness> StartAsync(
        Action<VoiceSessionOptions>? configure = null,
        Action<LocalRealtimeServerOptions>? configureServer = null,
        RealtimeDialect dialect = RealtimeDialect.GA)
    {
        var events = new ConcurrentQueue<JsonElement>();
        var serverOptions = new LocalRealtimeServerOptions { SpeedFactor = 20, ClientEventObserver = e => events.Enqueue(e.Clone()) };

        // Beta is spoken only by Azure's preview endpoint (OpenAI retired it): a beta session talks to a server of
        // that profile, at its path.
        var beta = dialect == RealtimeDialect.Beta;
        serverOptions.Profile = beta ? ServiceProfile.AzurePreview : ServiceProfile.OpenAi;
        configureServer?.Invoke(serverOptions);
        var server = await LocalRealtimeServer.StartAsync(serverOptions, TestContext.Current.CancellationToken);
        var harness = new SessionHarness(server);
        while (events.TryDequeue(out var e))
        {
            harness.ClientEvents.Enqueue(e);
        }
        serverOptions.ClientEventObserver = e =>
        {
            harness.ClientEvents.Enqueue(e.Clone());
            harness.LoseTheConnectionIfArmedFor(e);
        };
        var options = new VoiceSessionOptions
        {
            Connection = new() { BaseUri = server.BaseUri, Model = "gpt-realtime", Dialect = dialect, Path = beta ? server.ExampleUri.PathAndQuery : null },
            PaceOutput = false,
        };
        harness._clientLog = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ReceivedEventsLog(harness.ReceivedEvents)));
        options.Connection.LoggerFactory = harness._clientLog;
        configure?.Invoke(options);
        harness.Session = await VoiceSession.StartAsync(options, TestContext.Current.CancellationToken);
        harness._reader = Task.Run(harness.ReadAllAsync);
        return harness;
    }

    public IReadOnlyList<VoiceSessionEvent> Outputs
    {
        get
        {
            lock (_gate)
            {
                return [.. _outputs];
            }
        }
    }

    /// <summary>Client events of a type, as the server received them.</summary>
    public IReadOnlyList<JsonElement> Sent(string type) =>
        [.. ClientEvents.Where(e => e.GetProperty("type").GetString() == type)];

    /// <summary>Waits until the server has received a client event of <paramref name="type"/>, and returns the first.</summary>
    public async Task<JsonElement> WaitForSentAsync(string type, int guardSeconds = 30) =>
        (await WaitForSentAsync(type, sent => sent.Count > 0, $"a {type}", guardSeconds))[0];

    /// <summary>Waits until the client events of <paramref name="type"/> the server received satisfy <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForSentAsync(string type, Func<IReadOnlyList<JsonElement>, bool> condition, string what, int guardSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(guardSeconds);
        while (DateTime.UtcNow < deadline)
        {
            var sent = Sent(type);
            if (condition(sent))
            {
                return sent;
            }
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"The server did not receive {what} within {guardSeconds} s.");
    }

    /// <summary>
    /// Waits until the session's realtime client has received a server event of <paramref name="type"/>. What the
    /// server sends after it (say, the speech_started of audio sent now) the session handles after it.
    /// </summary>
    public async Task WaitForReceivedAsync(string type, int guardSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(guardSeconds);
        while (!ReceivedEvents.Contains(type))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The session did not receive a {type} within {guardSeconds} s; it received: {string.Join(", ", ReceivedEvents.Distinct())}");
            }
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Waits until the outputs satisfy <paramref name="condition"/>; fails after a generous guard time (not a timing assertion).</summary>
    public async Task<IReadOnlyList<VoiceSessionEvent>> WaitForAsync(Func<IReadOnlyList<VoiceSessionEvent>, bool> condition, string what, int guardSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(guardSeconds);
        while (DateTime.UtcNow < deadline)
        {
            var outputs = Outputs;
            if (condition(outputs))
            {
                return outputs;
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        var seen = string.Join("\n", Outputs.Where(o => o is not HeardAudio).Select(o => o.ToString()));
        throw new TimeoutException($"Waited {guardSeconds} s for {what}. Outputs other than audio:\n{seen}\nAudio frames: {Outputs.OfType<HeardAudio>().Count()}");
    }

    /// <summary>
    /// Sends audio frame by frame, as fast as the session takes it; <paramref name="asAMicrophone"/>: a frame per frame's
    /// duration (or slower, on a busy machine), as a microphone sends it.
    /// </summary>
    public async Task SendAsync(byte[] pcm16, int rate, int channels, int frameMs = 20, bool asAMicrophone = false)
    {
        foreach (var frame in V2V.Testing.Speech.Frames(pcm16, rate, channels, frameMs))
        {
            await Session.SendAudioAsync(frame, rate, channels, TestContext.Current.CancellationToken);
            if (asAMicrophone)
            {
                await Task.Delay(frameMs, TestContext.Current.CancellationToken);
            }
        }
    }

    /// <summary>
    /// The server's next event is this connection's last: it is then dropped without a close (a network loss), once; the
    /// next connection lasts. (The faults are read live.)
    /// </summary>
    /// <summary>
    /// Loses the connection that receives the next client event of <paramref name="type"/>, at the server's answer to it:
    /// wherever that event goes, whatever else the server sent before it.
    /// </summary>
    public void LoseTheConnectionWhenTheServerReceives(string type) => Volatile.Write(ref _loseAt, type);

    private string? _loseAt;

    // On the session's receive loop, before the event is handled: the server's next event is its answer to it.
    private void LoseTheConnectionIfArmedFor(JsonElement clientEvent)
    {
        if (_loseAt is { } type && clientEvent.GetProperty("type").GetString() == type && Interlocked.CompareExchange(ref _loseAt, null, type) == type)
        {
            LoseTheConnectionAtTheServersNextEvent();
        }
    }

    public void LoseTheConnectionAtTheServersNextEvent()
    {
        var faults = Server.Options.Faults;
        faults.AbortInsteadOfClose = true;
        faults.CloseConnections = 1;
        faults.CloseAfterEvents = 0;
    }

    public static bool HasFinalAssistantTranscript(IReadOnlyList<VoiceSessionEvent> outputs) =>
        outputs.OfType<TranscriptOutput>().Any(t => t.Role == TranscriptRole.Assistant && t.IsFinal);

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        await _reader;
        await Server.DisposeAsync();
        _clientLog?.Dispose();
    }

    // The realtime client logs each server event it received at Trace, as "Received {Type}" (event id 5).
    private sealed class ReceivedEventsLog(ConcurrentQueue<string> received) : ILoggerProvider, ILogger
    {
        private const int ReceivedEventId = 5;

        public ILogger CreateLogger(string categoryName) => categoryName == "V2V.Realtime.Client.RealtimeClient" ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Trace;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == ReceivedEventId && state is IReadOnlyList<KeyValuePair<string, object?>> fields
                && fields.FirstOrDefault(f => f.Key == "Type").Value is string type)
            {
                received.Enqueue(type);
            }
        }

        public void Dispose()
        {
        }
    }

    private async Task ReadAllAsync()
    {
        await foreach (var output in Session.ReadOutputsAsync())
        {
            lock (_gate)
            {
                _outputs.Add(HeardAudio.Take(output));
            }
        }
    }
}
