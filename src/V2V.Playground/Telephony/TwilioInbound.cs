using System.Buffers.Text;
using System.Text.Json;

namespace V2V.Playground.Telephony;

/// <summary>
/// One message from Twilio, read in place from its UTF-8 JSON (Twilio's field names: <c>event</c>,
/// <c>start.streamSid</c>, <c>start.callSid</c>, <c>start.customParameters</c>, <c>start.mediaFormat</c>,
/// <c>media.track</c>, <c>media.payload</c>, <c>mark.name</c>, <c>dtmf.digit</c>). One instance per call, reused for
/// every message: a media message allocates nothing (the payload is decoded from the message bytes into
/// <see cref="Payload"/>, the fields it does not need are skipped).
/// </summary>
internal sealed class TwilioInbound
{
    /// <summary>The largest payload taken: 20 ms is 160 bytes; Twilio never sends more than a few of those at once.</summary>
    public const int MaxPayloadBytes = 8000;

    private readonly byte[] _payload = new byte[MaxPayloadBytes];

    public TwilioEvent Event { get; private set; }

    /// <summary>The <c>event</c> as sent, for an unknown one.</summary>
    public string? EventName { get; private set; }

    public string? StreamSid { get; private set; }

    public string? CallSid { get; private set; }

    public Dictionary<string, string> CustomParameters { get; } = new(StringComparer.Ordinal);

    public string? Encoding { get; private set; }

    public int SampleRate { get; private set; }

    public int Channels { get; private set; }

    /// <summary>Media of another track than the caller's (<c>outbound</c>, with a two-track stream).</summary>
    public bool OtherTrack { get; private set; }

    /// <summary>The decoded mu-law bytes of a media message; null when <c>payload</c> was missing or not base64.</summary>
    public ReadOnlySpan<byte> Payload => _payload.AsSpan(0, PayloadLength);

    public int PayloadLength { get; private set; } = -1;

    /// <summary>The mark's name as this server numbers them; -1 when it is none of ours.</summary>
    public long MarkNumber { get; private set; } = -1;

    public string? Digit { get; private set; }

    /// <summary>Reads <paramref name="utf8Json"/>; false (and why) when it is not a JSON object with an <c>event</c>.</summary>
    public bool TryRead(ReadOnlySpan<byte> utf8Json, out string? problem)
    {
        Reset();
        problem = null;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "not a JSON object";
                return false;
            }
            ReadObject(ref reader);
        }
        catch (JsonException ex)
        {
            problem = $"not valid JSON ({ex.Message})";
            return false;
        }
        if (Event == TwilioEvent.Unknown && EventName is null)
        {
            problem = "no \"event\" field";
            return false;
        }
        return true;
    }

    private void Reset()
    {
        Event = TwilioEvent.Unknown;
        EventName = null;
        StreamSid = null;
        CallSid = null;
        CustomParameters.Clear();
        Encoding = null;
        SampleRate = 0;
        Channels = 0;
        OtherTrack = false;
        PayloadLength = -1;
        MarkNumber = -1;
        Digit = null;
    }

    // Walks the message once; "section" is the top-level object the reader is in (start, media, ...), "sub" the one below.
    private void ReadObject(ref Utf8JsonReader reader)
    {
        var section = Section.None;
        var sub = Section.None;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (reader.CurrentDepth == 1)
                {
                    section = Section.None;
                }
                else if (reader.CurrentDepth == 2)
                {
                    sub = Section.None;
                }
                continue;
            }
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }
            var depth = reader.CurrentDepth;
            var name = SectionOf(ref reader);
            var isParameter = section == Section.Start && sub == Section.CustomParameters && depth == 3;
            var parameterName = isParameter ? reader.GetString() : null;
            var at = reader;
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                if (depth == 1)
                {
                    section = name;
                }
                else if (depth == 2)
                {
                    sub = name;
                }
                else
                {
                    reader.Skip();
                }
                continue;
            }
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            if (isParameter)
            {
                CustomParameters[parameterName!] = reader.TokenType == JsonTokenType.String ? reader.GetString()! : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                continue;
            }
            ReadValue(ref at, ref reader, depth, section, sub);
        }
    }

    private void ReadValue(ref Utf8JsonReader name, ref Utf8JsonReader value, int depth, Section section, Section sub)
    {
        if (depth == 1 && name.ValueTextEquals("event"u8))
        {
            Event = EventOf(ref value);
            if (Event == TwilioEvent.Unknown)
            {
                EventName = value.TokenType == JsonTokenType.String ? value.GetString() : "(not a string)";
            }
            return;
        }
        if (depth != 2)
        {
            if (depth == 3 && section == Section.Start && sub == Section.MediaFormat)
            {
                ReadMediaFormat(ref name, ref value);
            }
            return;
        }
        switch (section)
        {
            case Section.Media when name.ValueTextEquals("payload"u8):
                PayloadLength = DecodePayload(ref value);
                break;
            case Section.Media when name.ValueTextEquals("track"u8):
                OtherTrack = !value.ValueTextEquals("inbound"u8) && !value.ValueTextEquals("inbound_track"u8);
                break;
            case Section.Start when name.ValueTextEquals("streamSid"u8):
                StreamSid = value.GetString();
                break;
            case Section.Start when name.ValueTextEquals("callSid"u8):
                CallSid = value.GetString();
                break;
            case Section.Mark when name.ValueTextEquals("name"u8):
                MarkNumber = value.TokenType == JsonTokenType.String && !value.ValueIsEscaped && Utf8Parser.TryParse(value.ValueSpan, out long number, out var used) && used == value.ValueSpan.Length ? number : -1;
                break;
            case Section.Dtmf when name.ValueTextEquals("digit"u8):
                Digit = value.TokenType == JsonTokenType.String ? value.GetString() : null;
                break;
        }
    }

    private void ReadMediaFormat(ref Utf8JsonReader name, ref Utf8JsonReader value)
    {
        if (name.ValueTextEquals("encoding"u8))
        {
            Encoding = value.TokenType == JsonTokenType.String ? value.GetString() : null;
        }
        else if (name.ValueTextEquals("sampleRate"u8))
        {
            SampleRate = Number(ref value);
        }
        else if (name.ValueTextEquals("channels"u8))
        {
            Channels = Number(ref value);
        }
    }

    // Numbers in Twilio's messages are JSON numbers in some fields and strings in others: either is taken.
    private static int Number(ref Utf8JsonReader value) =>
        value.TokenType == JsonTokenType.Number && value.TryGetInt32(out var n) ? n
        : value.TokenType == JsonTokenType.String && int.TryParse(value.GetString(), out var s) ? s
        : 0;

    private int DecodePayload(ref Utf8JsonReader value)
    {
        if (value.TokenType != JsonTokenType.String)
        {
            return -1;
        }
        if (!value.ValueIsEscaped)
        {
            return Base64.DecodeFromUtf8(value.ValueSpan, _payload, out _, out var written) == System.Buffers.OperationStatus.Done ? written : -1;
        }
        // JSON may escape '/' as "\/": the rare escaped payload is unescaped first.
        return Convert.TryFromBase64String(value.GetString()!, _payload, out var count) ? count : -1;
    }

    private static TwilioEvent EventOf(ref Utf8JsonReader value) =>
        value.ValueTextEquals("media"u8) ? TwilioEvent.Media
        : value.ValueTextEquals("mark"u8) ? TwilioEvent.Mark
        : value.ValueTextEquals("start"u8) ? TwilioEvent.Start
        : value.ValueTextEquals("connected"u8) ? TwilioEvent.Connected
        : value.ValueTextEquals("dtmf"u8) ? TwilioEvent.Dtmf
        : value.ValueTextEquals("stop"u8) ? TwilioEvent.Stop
        : TwilioEvent.Unknown;

    private static Section SectionOf(ref Utf8JsonReader name) =>
        name.ValueTextEquals("media"u8) ? Section.Media
        : name.ValueTextEquals("mark"u8) ? Section.Mark
        : name.ValueTextEquals("start"u8) ? Section.Start
        : name.ValueTextEquals("dtmf"u8) ? Section.Dtmf
        : name.ValueTextEquals("customParameters"u8) ? Section.CustomParameters
        : name.ValueTextEquals("mediaFormat"u8) ? Section.MediaFormat
        : Section.None;

    private enum Section
    {
        None,
        Start,
        Media,
        Mark,
        Dtmf,
        CustomParameters,
        MediaFormat,
    }
}
