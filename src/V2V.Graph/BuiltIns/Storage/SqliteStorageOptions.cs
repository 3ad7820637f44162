using V2V.Ten;

namespace V2V.Graph.BuiltIns.Storage;

/// <summary>
/// The properties of <c>sqlite_storage</c>, read and checked once at init; every error names the property.
/// <c>path</c>: the SQLite file (relative to the working folder; default <see cref="DefaultPath"/>);
/// <c>channel_name</c>: the conversation the turns belong to, as TEN's storage keys its document;
/// <c>max_turns</c>: the most turns a <c>retrieve</c> returns (the newest); <c>queue_capacity</c>: turns waiting to be written.
/// </summary>
internal sealed record SqliteStorageOptions(string Path, string ChannelName, int MaxTurns, int QueueCapacity)
{
    /// <summary>The file when <c>path</c> is not set: the user's local data folder (kept across restarts and rebuilds), or else beside the app.</summary>
    public static string DefaultPath
    {
        get
        {
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            var folder = string.IsNullOrEmpty(data) ? System.IO.Path.Combine(AppContext.BaseDirectory, "data") : System.IO.Path.Combine(data, "v2v");
            return System.IO.Path.Combine(folder, "storage.db");
        }
    }

    public static SqliteStorageOptions Read(ITenEnv env)
    {
        var path = env.Properties["path"]?.GetValue<string>();
        var channel = env.Properties["channel_name"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(channel))
        {
            throw new TenPropertyException("channel_name", $"{env.Name}: property 'channel_name' must name the conversation whose turns are kept (e.g. the RTC channel); it is empty.");
        }
        return new SqliteStorageOptions(
            string.IsNullOrWhiteSpace(path) ? DefaultPath : path,
            channel,
            (int)PropertyReader.Int64(env, "max_turns", 100, min: 1, max: 10_000),
            (int)PropertyReader.Int64(env, "queue_capacity", 256, min: 1, max: 100_000));
    }
}
