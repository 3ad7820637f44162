using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// The chunked form in which TEN's message collector sends a message over the RTC data channel and TEN's playground
/// reads it: the message's JSON, UTF-8, base64, cut into parts <c>message_id|part_index|total_parts|content</c>
/// (parts counted from 1), each at most <see cref="MaxChunkBytes"/> bytes. <see cref="Split"/> makes the parts;
/// a <see cref="CollectorChunks"/> instance puts them back together, as the playground does.
/// </summary>
public sealed class CollectorChunks
{
    /// <summary>The largest part, in bytes, as TEN's collector allows (the RTC data stream's limit).</summary>
    public const int MaxChunkBytes = 1024;

    private const int MaxPartDigits = 10;

    // Bounded: a sender that never finishes a message must not grow this for ever; the oldest incomplete one goes.
    private const int MaxPending = 64;

    private readonly Dictionary<string, (long Arrival, string?[] Parts)> _pending = new(StringComparer.Ordinal);
    private long _arrivals;

    /// <summary>Cuts <paramref name="message"/> into parts under <paramref name="messageId"/> (at most 36 characters, no '|').</summary>
    public static IReadOnlyList<string> Split(string messageId, JsonObject message)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(message);
        if (messageId.Length > 36 || messageId.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException("A message id has at most 36 characters and no '|'.", nameof(messageId));
        }
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(message.ToJsonString()));
        // Room for the id, three separators and both numbers at their widest; base64 is ASCII, so characters are bytes.
        var room = MaxChunkBytes - messageId.Length - 3 - (2 * MaxPartDigits);
        var total = Math.Max(1, (base64.Length + room - 1) / room);
        var parts = new string[total];
        for (var i = 0; i < total; i++)
        {
            var start = i * room;
            parts[i] = string.Create(CultureInfo.InvariantCulture, $"{messageId}|{i + 1}|{total}|{base64.AsSpan(start, Math.Min(room, base64.Length - start))}");
        }
        return parts;
    }

    /// <summary>Takes one part; returns the whole message once its last missing part has come, else null.</summary>
    /// <exception cref="FormatException">The part is not <c>message_id|part_index|total_parts|content</c>.</exception>
    public JsonObject? Add(string chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var fields = chunk.Split('|', 4);
        if (fields.Length != 4
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var total)
            || total < 1 || index < 1 || index > total)
        {
            throw new FormatException($"Not a collector chunk (message_id|part_index|total_parts|content): '{(chunk.Length > 60 ? chunk[..60] + "..." : chunk)}'.");
        }
        if (!_pending.TryGetValue(fields[0], out var entry))
        {
            if (_pending.Count == MaxPending)
            {
                _pending.Remove(_pending.MinBy(p => p.Value.Arrival).Key);
            }
            entry = (_arrivals++, new string?[total]);
            _pending.Add(fields[0], entry);
        }
        var parts = entry.Parts;
        if (parts.Length != total)
        {
            throw new FormatException($"Message '{fields[0]}': part {index} says {total} parts, an earlier one {parts.Length}.");
        }
        parts[index - 1] = fields[3];
        if (Array.IndexOf(parts, null) >= 0)
        {
            return null;
        }
        _pending.Remove(fields[0]);
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(parts)));
        return JsonNode.Parse(json) as JsonObject ?? throw new FormatException($"Message '{fields[0]}' is not a JSON object.");
    }
}
