using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// <c>transcript_collector</c>: writes each <c>text_data</c> as a JSON line
/// <c>{time_ms, role, text, is_final, end_of_segment, stream_id[, interrupted][, item_id]}</c>, each <c>flush</c> command
/// as <c>{time_ms, event: "flush", source}</c>, and each <c>session_event</c> as <c>{time_ms, event: kind, ...}</c> with
/// the event's other properties. <c>time_ms</c> counts from the collector's start. The role is the message's
/// <c>role</c> property, or else read from <c>stream_id</c> as the original extension sets it: 0 for the assistant,
/// the user's stream otherwise. Each line is flushed to disk as written, so the file can be followed live.
/// </summary>
/// <remarks>
/// The file is a timeline: lines come in the order things happened. A spoken question's words often come after its
/// answer's (the service transcribes it while answering); its place is the <c>user_transcript_pending</c> event line
/// written at its commit, whose <c>item_id</c> the question's line carries, so a reader can put it back there.
/// </remarks>
public sealed partial class TranscriptCollector : Extension
{
    /// <summary>The addon name.</summary>
    public const string AddonName = "transcript_collector";

    private static readonly string[] CopiedProperties = ["text", "is_final", "end_of_segment", "stream_id"];

    // Copied after those when present (beyond the original's text_data).
    private static readonly string[] OptionalProperties = ["interrupted", "item_id"];

    private readonly ArrayBufferWriter<byte> _line = new(256);
    private string _path = "";
    private bool _append;
    private FileStream? _file;
    private long _start;
    private long _lines;

    /// <summary>The addon: manifest, property.json defaults, factory.</summary>
    public static ExtensionAddon Addon() => new(AddonName, BuiltInManifest.Create(
            AddonName,
            new Dictionary<string, string> { ["path"] = "string", ["append"] = "bool" },
            required: ["path"],
            cmdIn: ["flush"],
            dataIn: ["text_data", "session_event"]),
        BuiltInManifest.Defaults("""{ "append": false }"""),
        () => new TranscriptCollector());

    /// <summary>Lines written.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <inheritdoc/>
    public override Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        _path = PropertyReader.String(env, "path");
        _append = PropertyReader.Bool(env, "append", false);
        return Task.CompletedTask;
    }

    /// <summary>Opens the file (created, or appended to with <c>append</c>).</summary>
    public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(_path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _file = new FileStream(_path, _append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, 4096, useAsync: true);
        _start = TimeProvider.System.GetTimestamp();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override async ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Name == "session_event")
        {
            await WriteLineAsync(writer => WriteEvent(writer, data), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (data.Name != "text_data")
        {
            return;
        }
        await WriteLineAsync(writer =>
        {
            writer.WriteString("role", Role(data));
            foreach (var name in CopiedProperties)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, data.Properties[name]);
            }
            foreach (var name in OptionalProperties)
            {
                if (data.Properties.TryGetPropertyValue(name, out var value))
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, value);
                }
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    // {event: kind, ...the rest}: the extension's session_event says what it is in "kind".
    private static void WriteEvent(Utf8JsonWriter writer, DataMessage data)
    {
        writer.WriteString("event", data.Properties["kind"] is JsonValue kind && kind.TryGetValue<string>(out var text) ? text : "session_event");
        foreach (var (name, value) in data.Properties)
        {
            if (name is not ("kind" or "time_ms" or "event"))
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }
        }
    }

    /// <summary>Records <c>flush</c> as an event line and answers OK.</summary>
    public override async Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.Name != "flush")
        {
            return await base.OnCmdAsync(env, cmd, cancellationToken).ConfigureAwait(false);
        }
        await WriteLineAsync(writer =>
        {
            writer.WriteString("event", "flush");
            writer.WriteString("source", cmd.Source);
        }, cancellationToken).ConfigureAwait(false);
        return CmdResult.Ok();
    }

    /// <summary>Closes the file.</summary>
    public override async Task OnStopAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
            _file = null;
            LogClosed(env.Logger, env.Name, _path, Lines);
        }
    }

    private async Task WriteLineAsync(Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        if (_file is null)
        {
            return;
        }
        _line.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_line))
        {
            writer.WriteStartObject();
            writer.WriteNumber("time_ms", (long)TimeProvider.System.GetElapsedTime(_start).TotalMilliseconds);
            body(writer);
            writer.WriteEndObject();
        }
        _line.Write("\n"u8);
        await _file.WriteAsync(_line.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _lines);
    }

    private static string? Role(DataMessage data)
    {
        if (data.Properties["role"] is JsonValue role && role.TryGetValue<string>(out var text))
        {
            return text;
        }
        return data.Properties["stream_id"] is JsonValue id && id.TryGetValue<long>(out var streamId) ? (streamId == 0 ? "assistant" : "user") : null;
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: wrote {Path}: {Lines} line(s).")]
    private static partial void LogClosed(ILogger logger, string extension, string path, long lines);
}
