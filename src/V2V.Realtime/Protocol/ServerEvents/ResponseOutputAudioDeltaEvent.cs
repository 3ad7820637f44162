using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using V2V.Frames;

namespace V2V.Realtime.Protocol.ServerEvents;

/// <summary>
/// A chunk of the model's audio. The client decodes the base64 straight from the received bytes into a pooled
/// <see cref="PcmFrame"/> (<see cref="Audio"/>); the base64 text (<see cref="Delta"/>) and the <see cref="RealtimeEvent.EventId"/>
/// string are made only if asked for.
/// The receiver disposes the event, which gives the audio's buffer back for a later delta; after that, reading
/// <see cref="Audio"/> throws <see cref="ObjectDisposedException"/> (a kept reference never shows another delta's audio).
/// <see cref="TakeFrame"/> hands the frame itself on instead. An event that is not disposed is simply collected.
/// </summary>
/// <remarks>Wire names: ga <c>response.output_audio.delta</c>, beta <c>response.audio.delta</c>. Schema: <c>RealtimeServerEventResponseAudioDelta</c>.</remarks>
public sealed class ResponseOutputAudioDeltaEvent : RealtimeResponseContentEvent, IDisposable
{
    /// <summary>The name of this event in the GA dialect.</summary>
    public const string? GaName = "response.output_audio.delta";

    /// <summary>The name of this event in the beta dialect.</summary>
    public const string? BetaName = "response.audio.delta";

    /// <summary>The rate of the model's pcm16 audio (the frame says this rate also for G.711 bytes, which it carries as received).</summary>
    internal const int ModelRate = 24000;

    private string? _delta;
    private PcmFrame _frame;
    private ReadOnlyMemory<byte> _decoded;
    private bool _fromParser;
    private byte[] _eventIdUtf8 = [];
    private int _eventIdLength = -1;

    /// <summary>Creates the event with its GA wire name.</summary>
    public ResponseOutputAudioDeltaEvent() : base(GaName!) { }

    // Delta is computed from the decoded audio on demand, so this constructor does not set it.
#pragma warning disable CS8618
    /// <summary>The parser's event: its ids, its audio in a pooled frame (owned by the event), and its event id as received bytes.</summary>
    [SetsRequiredMembers]
    internal ResponseOutputAudioDeltaEvent(string type, ReadOnlySpan<byte> eventIdUtf8, bool hasEventId, string responseId, string itemId, int outputIndex, int contentIndex, PcmFrame audio)
        : base(type)
    {
        if (hasEventId)
        {
            _eventIdUtf8 = eventIdUtf8.ToArray();
            _eventIdLength = eventIdUtf8.Length;
        }
        SetContentFields(responseId, itemId, outputIndex, contentIndex);
        _frame = audio;
        _fromParser = true;
    }
#pragma warning restore CS8618

    private protected override string? MaterializeEventId() =>
        _eventIdLength < 0 ? null : System.Text.Encoding.UTF8.GetString(_eventIdUtf8, 0, _eventIdLength);

    /// <summary>The audio as base64 text, as on the wire.</summary>
    [JsonPropertyName("delta")]
    public required string Delta
    {
        get => _delta ??= Convert.ToBase64String(Audio.Span);
        init
        {
            _delta = value;
            _fromParser = false;
        }
    }

    /// <summary>
    /// The decoded audio bytes (pcm16 little-endian at the session's output rate, or G.711). Valid until the event is
    /// disposed (or its frame taken); then reading it throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> Audio
    {
        get
        {
            if (_fromParser)
            {
                return _frame.IsNone
                    ? throw new ObjectDisposedException(nameof(ResponseOutputAudioDeltaEvent), "The delta's audio was handed on (TakeFrame) or disposed.")
                    : _frame.Memory;
            }
            if (_decoded.IsEmpty && !string.IsNullOrEmpty(_delta))
            {
                _decoded = Convert.FromBase64String(_delta);
            }
            return _decoded;
        }
    }

    /// <summary>
    /// Hands the audio on as a frame, without a copy: the caller owns it now (and disposes it), and the event no
    /// longer has audio. A delta made from base64 text (not by the parser) gives a frame over its decoded bytes.
    /// </summary>
    public PcmFrame TakeFrame()
    {
        if (!_fromParser)
        {
            return PcmFrame.Wrap(Audio, ModelRate);
        }
        var frame = _frame;
        if (frame.IsNone)
        {
            throw new ObjectDisposedException(nameof(ResponseOutputAudioDeltaEvent), "The delta's audio was handed on (TakeFrame) or disposed.");
        }
        _frame = default;
        return frame;
    }

    /// <summary>Gives the audio's buffer back for a later delta: the audio may not be read afterwards.</summary>
    public void Dispose()
    {
        var frame = _frame;
        _frame = default;
        frame.Dispose();
    }
}
