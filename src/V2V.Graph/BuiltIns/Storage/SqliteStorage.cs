using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns.Storage;

/// <summary>
/// <c>sqlite_storage</c>: the conversation store that <c>openai_v2v</c> talks to with <c>enable_storage</c>, as TEN's
/// storage extension (<c>tsdb_firestore</c>) answers it, kept in one SQLite file. Data <c>append</c> (<c>text</c>,
/// <c>role</c>, <c>stream_id</c>) adds a final turn to the channel <c>channel_name</c>; cmd <c>retrieve</c> answers OK
/// with <c>response</c> = a JSON string of the channel's last <c>max_turns</c> turns, oldest first, each
/// <c>{"role", "input", "stream_id"}</c> (<c>[]</c> for a new channel, where TEN's answered an error). Turns survive a
/// restart; several channels share the file. Writes go through <see cref="TurnStoreWorker"/>: a bounded queue and one
/// writer, so the graph never waits on the disk; a full queue drops the new turn, counted and logged.
/// </summary>
public sealed partial class SqliteStorage : Extension
{
    /// <summary>The addon name.</summary>
    public const string AddonName = "sqlite_storage";

    private SqliteStorageOptions? _options;
    private TurnStoreWorker? _worker;
    private long _ignored;
    private long _dropped;

    /// <summary>The addon: manifest, property.json defaults, factory; under another <paramref name="name"/> to stand in for a TEN storage addon.</summary>
    public static ExtensionAddon Addon(string name = AddonName) => new(name, BuiltInManifest.Create(
            name,
            new Dictionary<string, string>
            {
                ["path"] = "string",
                ["channel_name"] = "string",
                ["max_turns"] = "int64",
                ["queue_capacity"] = "int64",
            },
            cmdIn: ["retrieve"],
            dataIn: ["append"]),
        BuiltInManifest.Defaults("""{ "channel_name": "default", "max_turns": 100, "queue_capacity": 256 }"""),
        () => new SqliteStorage());

    /// <summary>Turns written to the file.</summary>
    public long Stored => _worker?.Stored ?? 0;

    /// <summary><c>append</c> messages that were not turns (a property missing or wrong), logged and skipped.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>Turns refused because the write queue was full, or left unwritten by a cancelled stop.</summary>
    public long Dropped => Interlocked.Read(ref _dropped) + (_worker?.Abandoned ?? 0);

    /// <summary>Turns whose write failed.</summary>
    public long Failed => _worker?.Failed ?? 0;

    /// <inheritdoc/>
    public override Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        _options = SqliteStorageOptions.Read(env);
        return Task.CompletedTask;
    }

    /// <summary>Opens (or creates) the database; a file that cannot be opened is an error naming <c>path</c>.</summary>
    public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        var options = _options ?? throw new InvalidOperationException("OnInitAsync was not called.");
        SqliteTurnStore store;
        try
        {
            store = SqliteTurnStore.Open(options.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new TenPropertyException("path", $"{env.Name}: property 'path' = '{options.Path}': the SQLite database cannot be opened or created: {ex.Message} Set 'path' to a new file, or to a database this store wrote, in a writable folder.");
        }
        _worker = new TurnStoreWorker(store, options.ChannelName, options.MaxTurns, options.QueueCapacity, env.Logger);
        LogOpened(env.Logger, env.Name, options.ChannelName, store.Path);
        return Task.CompletedTask;
    }

    /// <summary>Queues the turn of an <c>append</c>; a bad one is logged and skipped, a full queue drops it.</summary>
    public override ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Name != "append" || _worker is null)
        {
            return ValueTask.CompletedTask;
        }
        var turn = AppendReader.Read(data, out var problem);
        if (turn is null)
        {
            if (problem is not null)
            {
                Interlocked.Increment(ref _ignored);
                LogIgnored(env.Logger, env.Name, data.Source, problem);
            }
            return ValueTask.CompletedTask;
        }
        if (!_worker.TryAppend(turn))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            LogDropped(env.Logger, env.Name, _options!.QueueCapacity, dropped);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Answers <c>retrieve</c> with the channel's turns; other commands get the default error.</summary>
    public override async Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.Name != "retrieve" || _worker is null)
        {
            return await base.OnCmdAsync(env, cmd, cancellationToken).ConfigureAwait(false);
        }
        IReadOnlyList<StoredTurn> turns;
        try
        {
            turns = await _worker.RetrieveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidCastException)
        {
            return CmdResult.Error($"{env.Name}: the turns of channel '{_options!.ChannelName}' could not be read from {_options.Path}: {ex.Message}");
        }
        var result = CmdResult.Ok();
        result.Set("response", RetrieveResponse.Json(turns));
        return result;
    }

    /// <summary>Writes what was accepted and closes the file.</summary>
    public override async Task OnStopAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (_worker is not null)
        {
            await _worker.StopAsync(cancellationToken).ConfigureAwait(false);
            LogClosed(env.Logger, env.Name, _options!.ChannelName, Stored, Dropped, Failed);
        }
    }

    /// <summary>Closes the file if stop did not run (a start that failed elsewhere).</summary>
    public override async Task OnDeinitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: keeping the turns of channel '{Channel}' in {Path}.")]
    private static partial void LogOpened(ILogger logger, string extension, string channel, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: an append from '{Source}' was ignored: {Problem}")]
    private static partial void LogIgnored(ILogger logger, string extension, string? source, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: the write queue ({Capacity} turns) is full, the disk is behind; a turn was dropped ({Dropped} so far).")]
    private static partial void LogDropped(ILogger logger, string extension, int capacity, long dropped);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: closed channel '{Channel}': {Stored} turn(s) written, {Dropped} dropped, {Failed} failed.")]
    private static partial void LogClosed(ILogger logger, string extension, string channel, long stored, long dropped, long failed);
}
