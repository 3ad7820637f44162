using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using V2V.Realtime.Client;
using V2V.Voice.Connection;
using V2V.Voice.Diagnostics;

namespace V2V.Voice.Tests.Connection;

/// <summary>
/// A <see cref="ConnectionSupervisor"/> on a fake clock, against a <see cref="ScriptedPeer"/>, with a connector whose
/// attempts the test scripts (connect to the peer, or fail as a service does) and a record of the backoff chosen.
/// </summary>
internal sealed class SupervisorRig : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private readonly List<DateTimeOffset> _attempts = [];

    private SupervisorRig(ScriptedPeer peer, VoiceSessionOptions options)
    {
        Time = (FakeTimeProvider)options.TimeProvider;
        Peer = peer;
        Options = options;
        var real = RealtimeConnectors.For(new RealtimeClient(options.Connection));
        Supervisor = new ConnectionSupervisor(ct => ConnectAsync(real, ct), options, Owner, _log = new BackoffLog(Retries, Delays), VoiceMetrics.For(options));
    }

    public FakeTimeProvider Time { get; }

    public ScriptedPeer Peer { get; }

    public VoiceSessionOptions Options { get; }

    public RecordingOwner Owner { get; } = new();

    public ConnectionSupervisor Supervisor { get; }

    /// <summary>The waits the reconnect pipeline chose, in order (from its retry log).</summary>
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    /// <summary>The pipeline's retry number of each wait (0: the first retry of an outage).</summary>
    public ConcurrentQueue<int> Retries { get; } = new();

    /// <summary>How many reconnected connections the stage has found healthy (the end of an outage).</summary>
    public int HealthyConnections => _log.Healthy;

    private readonly BackoffLog _log;

    /// <summary>What attempt n (1: the first connection) does: null connects to the peer, an exception fails it.</summary>
    public Func<int, Exception?> Script { get; set; } = _ => null;

    public int AttemptCount
    {
        get
        {
            lock (_gate)
            {
                return _attempts.Count;
            }
        }
    }

    /// <param name="script">What each attempt does from the first connection on (see <see cref="Script"/>). Given, the
    /// fake clock is moved while the start runs, so that the first connection's retries can wait out their backoff.</param>
    public static async Task<SupervisorRig> StartAsync(Action<VoiceSessionOptions>? configure = null, long? expiresAt = null, Func<int, Exception?>? script = null)
    {
        var peer = await ScriptedPeer.StartAsync();
        peer.ExpiresAt = expiresAt;
        var options = new VoiceSessionOptions
        {
            Connection = new RealtimeClientOptions { BaseUri = peer.BaseUri },
            ReconnectDelay = TimeSpan.FromSeconds(1),
            MaxReconnectDelay = TimeSpan.FromSeconds(4),
            HealthyConnectionTime = TimeSpan.FromSeconds(30),
            ReconnectGiveUpAfter = TimeSpan.FromMinutes(10),
            TimeProvider = new FakeTimeProvider(Start),
        };
        configure?.Invoke(options);
        options.Validate();
        var rig = new SupervisorRig(peer, options);
        if (script is null)
        {
            await rig.Supervisor.StartAsync(TestContext.Current.CancellationToken);
            return rig;
        }
        rig.Script = script;
        var start = rig.Supervisor.StartAsync(TestContext.Current.CancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!start.IsCompleted && DateTime.UtcNow < deadline)
        {
            rig.Time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(2, TestContext.Current.CancellationToken);
        }
        await start.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return rig;
    }

    /// <summary>Connection <paramref name="index"/> as the peer accepted it (the peer may note it a little after the client is connected).</summary>
    public async Task<PeerLine> LineAsync(int index)
    {
        await WaitForAsync(() => Peer.Lines.Count > index, $"the peer to accept connection {index}");
        return Peer.Lines.ElementAt(index);
    }

    /// <summary>Waits, without moving the fake clock, until <paramref name="condition"/> holds (a generous wall-clock guard, not a timing assertion).</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what, int guardSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(guardSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {guardSeconds} s for {what}.");
            }
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Moves the fake clock in steps until <paramref name="condition"/> holds.</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan step, int guardSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(guardSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Moved the fake clock to {Time.GetUtcNow() - Start} for {guardSeconds} s of wall time without {what}.");
            }
            Time.Advance(step);
            await Task.Delay(2, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Moves the fake clock by <paramref name="total"/> in steps, letting the supervisor run between them.</summary>
    public async Task AdvanceAsync(TimeSpan total, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved < total; moved += step)
        {
            Time.Advance(step);
            await Task.Delay(2, TestContext.Current.CancellationToken);
        }
    }

    private Task<IRealtimeConnection> ConnectAsync(RealtimeConnector real, CancellationToken ct)
    {
        int attempt;
        lock (_gate)
        {
            _attempts.Add(Time.GetUtcNow());
            attempt = _attempts.Count;
        }
        return Script(attempt) is { } failure ? Task.FromException<IRealtimeConnection>(failure) : real(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Supervisor.DisposeAsync();
        await Peer.DisposeAsync();
    }

    // The stage logs each retry with the wait the pipeline chose ("Delay", "Retry"), and the end of an outage: the exact
    // backoff, with no clock to read.
    private sealed class BackoffLog(ConcurrentQueue<int> retries, ConcurrentQueue<TimeSpan> delays) : ILogger
    {
        private int _healthy;

        public int Healthy => Volatile.Read(ref _healthy);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                return;
            }
            if (fields.Any(f => f.Key == "{OriginalFormat}" && f.Value is string format && format.Contains("healthy for", StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref _healthy);
            }
            if (fields.FirstOrDefault(f => f.Key == "Delay").Value is TimeSpan delay)
            {
                retries.Enqueue(fields.FirstOrDefault(f => f.Key == "Retry").Value is int retry ? retry : -1);
                delays.Enqueue(delay);
            }
        }
    }
}
