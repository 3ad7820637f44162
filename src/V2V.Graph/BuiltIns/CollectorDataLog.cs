using System.Text;
using System.Text.Json.Nodes;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// Keeps what TEN's message collector sends to the RTC node (<c>data</c> messages, each one chunk of
/// <see cref="CollectorChunks"/>): every whole message, put back together as TEN's playground does, is one line of a
/// JSONL file (<c>{is_final, stream_id, message_id, data_type, text_ts, text[, role]}</c>), so a user reads the
/// conversation as the page would show it. Written as messages complete, flushed at each line; nothing is held in memory
/// but the incomplete messages (bounded by <see cref="CollectorChunks"/>).
/// </summary>
internal sealed class CollectorDataLog : IDisposable
{
    private readonly CollectorChunks _chunks = new();
    private readonly StreamWriter _writer;

    public CollectorDataLog(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
    }

    /// <summary>Whole messages written.</summary>
    public long Messages { get; private set; }

    /// <summary>Takes one chunk; writes the message it completes, if any.</summary>
    /// <exception cref="FormatException">The chunk is not in the collector's form.</exception>
    public void Add(string chunk)
    {
        if (_chunks.Add(chunk) is not { } message)
        {
            return;
        }
        _writer.WriteLine(message.ToJsonString());
        _writer.Flush();
        Messages++;
    }

    public void Dispose() => _writer.Dispose();
}
