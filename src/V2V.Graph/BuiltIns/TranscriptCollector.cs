using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// <c>transcript_collector</c>: writes each <c>text_data</c> as a JSON line
/// <c>{time_ms, role, text, is_final, end_of_segment, stream_id[, interrupted]}</c> and each <c>flush</c> command as
/// <c>{time_ms, event: "flush", source}</c>. <c>time_ms</c> counts from the collector's start. The role is the message's
/// <c>role</c> property, or else read from <c>stream_id</c> as the original extension sets it: 0 for the assistant,
/// the user's stream otherwise. Each line is flushed to disk as written, so the file can be followed live.
/// </summary>
public sealed partial class TranscriptCollector : Extension
{
    /// <summary>The addon name.</summary>
    public const string AddonName = "transcript_collector";

    private static readonly string[] CopiedProperties = ["text", "is_final", "end_of_segment", "stream_id"];

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
            dataIn: ["text_data"]),
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
            if (data.Properties.TryGetPropertyValue("interrupted", out var interrupted))
            {
                writer.WritePropertyName("interrupted");
                WriteValue(writer, interrupted);
            }
        }, cancellationToken).ConfigureAwait(false);
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
