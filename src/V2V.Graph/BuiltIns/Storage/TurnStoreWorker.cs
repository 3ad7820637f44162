using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace V2V.Graph.BuiltIns.Storage;

/// <summary>
/// The single writer of one channel's turns: the only thread that touches the <see cref="SqliteTurnStore"/>, fed by a
/// bounded queue so the graph's message loop never waits on the disk.
/// </summary>
/// <remarks>
/// Overflow policy: an append that finds the queue full is refused at once (<see cref="TryAppend"/> returns false; the
/// caller counts and logs it): the queue is full only when the disk has stalled for hundreds of turns, and waiting would
/// stall the graph with it. A retrieve waits for room instead (once per session, it holds only its own cmd), and it goes
/// through the same queue, so it sees every turn accepted before it. A failed write is logged and counted; the next one
/// is tried. Stopping writes what was accepted, unless the stop is cancelled: then what is left is counted as dropped.
/// </remarks>
internal sealed partial class TurnStoreWorker : IAsyncDisposable
{
    private readonly SqliteTurnStore _store;
    private readonly string _channel;
    private readonly int _maxTurns;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<Work> _queue;
    private readonly Task _loop;
    private volatile bool _abandon;
    private int _stopping;
    private long _stored;
    private long _failed;
    private long _abandoned;

    /// <summary>Starts the writer over an open store, which it now owns.</summary>
    public TurnStoreWorker(SqliteTurnStore store, string channel, int maxTurns, int capacity, ILogger logger, TimeProvider? time = null)
    {
        _store = store;
        _channel = channel;
        _maxTurns = maxTurns;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Turns written.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Turns whose write failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Accepted turns left unwritten because the stop was cancelled.</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>Queues a turn; false when the queue is full or stopped (the turn is not kept).</summary>
    public bool TryAppend(StoredTurn turn) => _queue.Writer.TryWrite(new Work(turn, null));

    /// <summary>The channel's last turns, oldest first, after every turn queued before this call is written.</summary>
    public async Task<IReadOnlyList<StoredTurn>> RetrieveAsync(CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<IReadOnlyList<StoredTurn>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Work(null, answer), cancellationToken).ConfigureAwait(false);
        return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes no more work, writes what was accepted (or, once <paramref name="cancellationToken"/> fires, drops what is
    /// left), closes the file. Only the first call does it; later calls return at once.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            return;
        }
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _abandon = true;
            await _loop.ConfigureAwait(false);
        }
        finally
        {
            _store.Dispose();
        }
    }

    /// <summary>Stops, writing what was accepted.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private async Task RunAsync()
    {
        await foreach (var work in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (work.Turn is { } turn)
            {
                Write(turn);
            }
            else
            {
                Read(work.Answer!);
            }
        }
    }

    private void Write(StoredTurn turn)
    {
        if (_abandon)
        {
            Interlocked.Increment(ref _abandoned);
            return;
        }
        try
        {
            _store.Append(_channel, turn, _time.GetUtcNow());
            Interlocked.Increment(ref _stored);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            Interlocked.Increment(ref _failed);
            LogWriteFailed(_logger, _channel, _store.Path, ex);
        }
    }

    private void Read(TaskCompletionSource<IReadOnlyList<StoredTurn>> answer)
    {
        try
        {
            answer.TrySetResult(_store.Recent(_channel, _maxTurns));
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidCastException)
        {
            answer.TrySetException(ex);
        }
    }

    private readonly record struct Work(StoredTurn? Turn, TaskCompletionSource<IReadOnlyList<StoredTurn>>? Answer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A turn of channel '{Channel}' was not written to {Path}; the next turns are still tried.")]
    private static partial void LogWriteFailed(ILogger logger, string channel, string path, Exception exception);
}
