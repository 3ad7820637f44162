using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// <c>message_collector</c>, as TEN-Agent's (at 35e6581): takes <c>text_data</c> (and <c>content_data</c>) and sends
/// <c>data</c> messages whose <c>data</c> property is one part of the chunked form TEN's playground reads
/// (<see cref="CollectorChunks"/>) of <c>{is_final, stream_id, message_id, data_type, text_ts, text}</c>
/// (plus <c>role</c> when the text carried one). Per <c>stream_id</c> it accumulates as TEN's does: a final piece
/// (<c>is_final</c>, which defaults to true) is added to the stream's text and the whole so far is sent; a piece with
/// <c>end_of_segment</c> completes it, sent with <c>is_final: true</c>, and the stream starts over; a non-final piece
/// goes out on its own, not kept. TEN's collector spaces its sends 40 ms apart for the RTC data channel's rate; here
/// they go at once, in order. Commands are answered OK.
/// </summary>
public sealed partial class MessageCollector : Extension
{
    /// <summary>The addon name.</summary>
    public const string AddonName = "message_collector";

    // Bounded: the text of at most this many streams is kept between pieces; beyond it the oldest stream's is dropped.
    private const int MaxStreams = 256;

    private readonly Dictionary<long, (long Touched, string Text)> _streams = [];
    private long _touches;
    private long _sent;

    /// <summary>The addon: manifest, property.json defaults (none), factory.</summary>
    public static ExtensionAddon Addon() => new(AddonName, BuiltInManifest.Create(
            AddonName,
            new Dictionary<string, string>(),
            dataIn: ["text_data", "content_data"],
            dataOut: ["data"]),
        BuiltInManifest.Defaults("{}"),
        () => new MessageCollector());

    /// <summary>The <c>data</c> messages sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <inheritdoc/>
    public override Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(cmd);
        LogCmd(env.Logger, cmd.Name);
        return Task.FromResult(CmdResult.Ok());
    }

    /// <inheritdoc/>
    public override async ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(data);
        var text = Read<string>(data, "text") ?? "";
        var endOfSegment = Read<bool>(data, "end_of_segment");
        JsonObject message;
        if (data.Name == "text_data")
        {
            var streamId = ReadInteger(data, "stream_id");
            var isFinal = data.Properties["is_final"] is JsonValue v && v.TryGetValue<bool>(out var f) ? f : true;
            text = Accumulate(streamId, text, isFinal, endOfSegment);
            message = Message(endOfSegment, streamId, "transcribe", text);
            if (Read<string>(data, "role") is { } role)
            {
                message["role"] = role;
            }
        }
        else if (data.Name == "content_data")
        {
            message = Message(endOfSegment, 0, "raw", text);
        }
        else
        {
            return;
        }
        foreach (var part in CollectorChunks.Split((string)message["message_id"]!, message))
        {
            var chunk = new DataMessage("data");
            chunk.Set("data", part);
            await env.SendDataAsync(chunk, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _sent);
        }
    }

    private string Accumulate(long streamId, string text, bool isFinal, bool endOfSegment)
    {
        if (endOfSegment)
        {
            if (_streams.Remove(streamId, out var kept))
            {
                text = kept.Text + text;
            }
        }
        else if (isFinal)
        {
            if (_streams.TryGetValue(streamId, out var kept))
            {
                text = kept.Text + text;
            }
            else if (_streams.Count == MaxStreams)
            {
                _streams.Remove(_streams.MinBy(s => s.Value.Touched).Key);
            }
            _streams[streamId] = (_touches++, text);
        }
        return text;
    }

    private static JsonObject Message(bool isFinal, long streamId, string dataType, string text) => new()
    {
        ["is_final"] = isFinal,
        ["stream_id"] = streamId,
        ["message_id"] = Guid.NewGuid().ToString("N")[..8],
        ["data_type"] = dataType,
        ["text_ts"] = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(),
        ["text"] = text,
    };

    // As TEN's collector: a property that is missing or of another type takes its default, it does not fail the message.
    private static T? Read<T>(DataMessage data, string property) =>
        data.Properties[property] is JsonValue value && value.TryGetValue<T>(out var result) ? result : default;

    private static long ReadInteger(DataMessage data, string property) => data.Properties[property] switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<uint>(out var u) => u,
        _ => 0,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "message_collector: the command '{Cmd}' is answered OK and otherwise ignored.")]
    private static partial void LogCmd(ILogger logger, string cmd);
}
