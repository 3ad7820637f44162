using Microsoft.Data.Sqlite;

namespace V2V.Graph.BuiltIns.Storage;

/// <summary>
/// The turns of every channel in one SQLite file: a table <c>turns</c> keyed by channel, in the order they were
/// written. One connection, used by one thread at a time (<see cref="TurnStoreWorker"/> is that thread). Several
/// stores may open the same file at once (two channels in one graph): WAL lets them read while one writes, and
/// a writer waits out another's lock for up to the command timeout.
/// </summary>
internal sealed class SqliteTurnStore : IDisposable
{
    // Bumped when the table changes shape; a file from a newer build is refused rather than misread.
    private const long SchemaVersion = 1;

    private const string CreateSchema = """
        CREATE TABLE IF NOT EXISTS turns (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            channel TEXT NOT NULL,
            role TEXT NOT NULL,
            input TEXT NOT NULL,
            stream_id INTEGER NOT NULL,
            created_at_ms INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS turns_by_channel ON turns (channel, id);
        """;

    private const string InsertTurn =
        "INSERT INTO turns (channel, role, input, stream_id, created_at_ms) VALUES ($channel, $role, $input, $stream_id, $created_at_ms);";

    // The newest turns, given back oldest first: conversation order.
    private const string SelectRecent = """
        SELECT role, input, stream_id FROM (
            SELECT id, role, input, stream_id FROM turns WHERE channel = $channel ORDER BY id DESC LIMIT $max)
        ORDER BY id;
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;

    private SqliteTurnStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
        _insert = connection.CreateCommand();
        _insert.CommandText = InsertTurn;
        _insert.Parameters.Add("$channel", SqliteType.Text);
        _insert.Parameters.Add("$role", SqliteType.Text);
        _insert.Parameters.Add("$input", SqliteType.Text);
        _insert.Parameters.Add("$stream_id", SqliteType.Integer);
        _insert.Parameters.Add("$created_at_ms", SqliteType.Integer);
    }

    /// <summary>The database file, full path.</summary>
    public string Path { get; }

    /// <summary>Opens the file, creating it, its folder and the table if need be.</summary>
    /// <exception cref="IOException">The folder cannot be made.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    /// <exception cref="SqliteException">The file cannot be opened or is not a SQLite database.</exception>
    /// <exception cref="InvalidDataException">The file was written by a newer schema.</exception>
    public static SqliteTurnStore Open(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        // No pooling: closing the store closes the file, so a restart (or a test) opens it afresh and may delete it.
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            // WAL with synchronous=NORMAL: a commit survives a crash of the process (not of the machine) without an fsync per turn.
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            var version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
            {
                throw new InvalidDataException($"the file was written by a newer version of this store (schema {version}; this build reads {SchemaVersion}).");
            }
            Execute(connection, CreateSchema);
            Execute(connection, $"PRAGMA user_version = {SchemaVersion};");
            return new SqliteTurnStore(fullPath, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Writes one turn of <paramref name="channel"/>; it is committed when this returns.</summary>
    public void Append(string channel, StoredTurn turn, DateTimeOffset at)
    {
        _insert.Parameters["$channel"].Value = channel;
        _insert.Parameters["$role"].Value = turn.Role;
        _insert.Parameters["$input"].Value = turn.Input;
        _insert.Parameters["$stream_id"].Value = turn.StreamId;
        _insert.Parameters["$created_at_ms"].Value = at.ToUnixTimeMilliseconds();
        _insert.ExecuteNonQuery();
    }

    /// <summary>The last <paramref name="max"/> turns of <paramref name="channel"/>, oldest first.</summary>
    public IReadOnlyList<StoredTurn> Recent(string channel, int max)
    {
        using var select = _connection.CreateCommand();
        select.CommandText = SelectRecent;
        select.Parameters.AddWithValue("$channel", channel);
        select.Parameters.AddWithValue("$max", max);
        using var reader = select.ExecuteReader();
        var turns = new List<StoredTurn>();
        while (reader.Read())
        {
            turns.Add(new StoredTurn(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }
        return turns;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
