using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using V2V.Graph.BuiltIns.Storage;
using V2V.Graph.Hosting;
using V2V.Graph.Tests.Support;
using V2V.Ten.Messages;
using static V2V.Graph.Tests.BuiltIns.Storage.StorageGraph;

namespace V2V.Graph.Tests.BuiltIns.Storage;

public sealed class SqliteStorageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendThenRetrieve_AnswersTheTurnsInConversationOrder_AsAJsonListOfRoleAndInput()
    {
        using var dir = new TempDirectory();
        await using var graph = await StartAsync(Properties(dir.File("db/storage.db")));

        var result = await graph.AppendThenRetrieveAsync("v2v",
            Append("What time is it in Paris?", "user", 1234L),
            Append("It is two in the afternoon.", "assistant", 0L),
            Append("Thanks!", "user"));

        Assert.Equal(
            [("user", "What time is it in Paris?", 1234L), ("assistant", "It is two in the afternoon.", 0L), ("user", "Thanks!", 0L)],
            Turns(result));
        Assert.Equal(3, graph.Get<SqliteStorage>("storage").Stored);
    }

    [Fact]
    public async Task Retrieve_OfAChannelWithNoTurns_AnswersAnEmptyList()
    {
        using var dir = new TempDirectory();
        await using var graph = await StartAsync(Properties(dir.File("storage.db")));

        var result = await graph.AppendThenRetrieveAsync("v2v");

        Assert.Empty(Turns(result));
    }

    [Fact]
    public async Task Channels_SharingOneFile_KeepTheirTurnsApart()
    {
        using var dir = new TempDirectory();
        var path = dir.File("storage.db");
        await using var graph = await StartAsync([
            ("alice", "alice_store", Properties(path, "\"channel_name\": \"alice\"")),
            ("bob", "bob_store", Properties(path, "\"channel_name\": \"bob\"")),
        ]);

        var alice = await graph.AppendThenRetrieveAsync("alice", Append("I am Alice.", "user"), Append("Hello Alice.", "assistant"));
        var bob = await graph.AppendThenRetrieveAsync("bob", Append("I am Bob.", "user"));

        Assert.Equal([("user", "I am Alice.", 0L), ("assistant", "Hello Alice.", 0L)], Turns(alice));
        Assert.Equal([("user", "I am Bob.", 0L)], Turns(bob));
    }

    [Fact]
    public async Task Turns_SurviveARestart_AndTheConversationGoesOnInOrder()
    {
        using var dir = new TempDirectory();
        var properties = Properties(dir.File("storage.db"), "\"channel_name\": \"room-7\"");
        await using (var first = await StartAsync(properties))
        {
            var env = await first.Get<Probe>("v2v").Env;
            await env.SendDataAsync(Append("Remember the number 42.", "user", 7L), Ct);
            await env.SendDataAsync(Append("I will remember 42.", "assistant", 0L), Ct);
            await first.WhenIdleAsync(TimeSpan.Zero, Ct);
            await first.StopAsync(Ct);
            Assert.Equal(2, first.Get<SqliteStorage>("storage").Stored);
        }

        await using var second = await StartAsync(properties);
        var result = await second.AppendThenRetrieveAsync("v2v", Append("What was the number?", "user", 7L));

        Assert.Equal(
            [("user", "Remember the number 42.", 7L), ("assistant", "I will remember 42.", 0L), ("user", "What was the number?", 7L)],
            Turns(result));
    }

    [Fact]
    public async Task Retrieve_WithMaxTurns_AnswersTheNewestTurnsOldestFirst()
    {
        using var dir = new TempDirectory();
        await using var graph = await StartAsync(Properties(dir.File("storage.db"), "\"max_turns\": 2"));

        var result = await graph.AppendThenRetrieveAsync("v2v", Append("one", "user"), Append("two", "assistant"), Append("three", "user"));

        Assert.Equal([("assistant", "two", 0L), ("user", "three", 0L)], Turns(result));
    }

    [Fact]
    public async Task BadAppends_AreLoggedNamingTheProperty_AndIgnored_AndTheNodeGoesOn()
    {
        using var dir = new TempDirectory();
        var logs = new CapturedLogs();
        await using var graph = await StartAsync(Properties(dir.File("storage.db")), logs);
        var notFinal = Append("half a sen", "assistant");
        notFinal.Set("is_final", false);

        var result = await graph.AppendThenRetrieveAsync("v2v",
            Append(null, "user"),
            Append("   ", "user"),
            Append("Who am I?", "system"),
            Append("Who am I?", "user", "not a number"),
            notFinal,
            Append("A good turn.", "user"));

        Assert.Equal([("user", "A good turn.", 0L)], Turns(result));
        var storage = graph.Get<SqliteStorage>("storage");
        Assert.Equal(4, storage.Ignored);
        Assert.Equal(0, graph.GetStatistics().Sum(s => s.HandlerErrors));
        var warnings = logs.Entries.Where(e => e.Category == "storage" && e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(4, warnings.Count);
        Assert.Contains("'text'", warnings[0], StringComparison.Ordinal);
        Assert.Contains("'text'", warnings[1], StringComparison.Ordinal);
        Assert.Contains("'role'", warnings[2], StringComparison.Ordinal);
        Assert.Contains("'stream_id'", warnings[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_UnderAFile_FailsTheStart_WithAnErrorNamingPath()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("blocker"), "a file where a folder should be");

        var failure = await Assert.ThrowsAsync<GraphRunException>(() => StartAsync(Properties(dir.File("blocker/storage.db"))));

        Assert.Contains("property 'path'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("blocker/storage.db", failure.Message, StringComparison.Ordinal);
        Assert.Contains("writable folder", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_OfAFileThatIsNotADatabase_FailsTheStart_WithAnErrorNamingPath()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("notes.txt"), new string('x', 4096));

        var failure = await Assert.ThrowsAsync<GraphRunException>(() => StartAsync(Properties(dir.File("notes.txt"))));

        Assert.Contains("property 'path'", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"channel_name\": \"\"", "'channel_name'")]
    [InlineData("\"max_turns\": 0", "'max_turns'")]
    [InlineData("\"queue_capacity\": -1", "'queue_capacity'")]
    public async Task BadProperties_FailTheStart_WithAnErrorNamingTheProperty(string property, string named)
    {
        using var dir = new TempDirectory();

        var failure = await Assert.ThrowsAsync<GraphRunException>(() => StartAsync(Properties(dir.File("storage.db"), property)));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhileTheDiskIsStalled_AFullQueueDropsNewTurns_WithoutHoldingTheGraph_AndTheRestAreWritten()
    {
        using var dir = new TempDirectory();
        var path = dir.File("storage.db");
        await using var graph = await StartAsync(Properties(path, "\"queue_capacity\": 1"));
        var env = await graph.Get<Probe>("v2v").Env;
        var storage = graph.Get<SqliteStorage>("storage");

        // Another connection holds the write lock: the writer waits on it (up to its 30 s busy timeout) as on a stalled disk.
        using (var blocker = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            blocker.Open();
            using var lockIt = blocker.CreateCommand();
            lockIt.CommandText = "BEGIN IMMEDIATE;";
            lockIt.ExecuteNonQuery();
            for (var i = 0; i < 5; i++)
            {
                await env.SendDataAsync(Append($"turn {i}", "user"), Ct);
            }
            await graph.WhenIdleAsync(TimeSpan.Zero, Ct);
            Assert.True(storage.Dropped >= 3, $"dropped {storage.Dropped}: a queue of 1 behind a stalled writer keeps at most 2 of 5 turns");
            lockIt.CommandText = "ROLLBACK;";
            lockIt.ExecuteNonQuery();
        }

        var result = await env.SendCmdAsync(new Cmd("retrieve"), Ct);

        var kept = Turns(result);
        Assert.Equal(5, kept.Count + storage.Dropped);
        Assert.Equal(kept.Count, storage.Stored);
        Assert.Equal(0, storage.Failed);
        Assert.Equal("turn 0", kept[0].Input);
    }

    [Fact]
    public void Addon_UnderATenName_DeclaresTheSameApi()
    {
        var alias = SqliteStorage.Addon("tsdb_firestore");

        Assert.Equal("tsdb_firestore", alias.Name);
        Assert.Equal("tsdb_firestore", alias.Manifest.Name);
        Assert.Equal(SqliteStorage.Addon().Manifest.PropertyTypes.Keys.Order(), alias.Manifest.PropertyTypes.Keys.Order());
        Assert.IsType<SqliteStorage>(alias.Create());
    }
}
