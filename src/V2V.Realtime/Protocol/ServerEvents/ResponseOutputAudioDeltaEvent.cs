using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using V2V.Realtime.Protocol.Serialization;

namespace V2V.Realtime.Protocol.ServerEvents;

/// <summary>
/// A chunk of the model's audio. The client decodes the base64 straight from the received bytes into a
/// pooled buffer (<see cref="Audio"/>); the base64 text (<see cref="Delta"/>) and the <see cref="RealtimeEvent.EventId"/>
/// string are made only if asked for.
/// Disposing the event returns its buffer to the pool, and the event itself to its parser, which fills it with a
/// later delta: read what you need before disposing it, and keep no reference to it afterwards. An event that is not
/// disposed is simply collected.
/// </summary>
/// <remarks>Wire names: ga <c>response.output_audio.delta</c>, beta <c>response.audio.delta</c>. Schema: <c>RealtimeServerEventResponseAudioDelta</c>.</remarks>
public sealed class ResponseOutputAudioDeltaEvent : RealtimeResponseContentEvent, IDisposable
{
    /// <summary>The name of this event in the GA dialect.</summary>
    public const string? GaName = "response.output_audio.delta";

    /// <summary>The name of this event in the beta dialect.</summary>
    public const string? BetaName = "response.audio.delta";

    private string? _delta;
    private byte[]? _pooled;
    private ReadOnlyMemory<byte> _audio;
    private bool _audioDecoded;
    private byte[] _eventIdUtf8 = [];
    private int _eventIdLength = -1;
    private AudioDeltaPool? _owner;

    /// <summary>Creates the event with its GA wire name.</summary>
    public ResponseOutputAudioDeltaEvent() : base(GaName!) { }

    // Delta is computed from the decoded audio on demand, so this constructor does not set it.
#pragma warning disable CS8618
    [SetsRequiredMembers]
    internal ResponseOutputAudioDeltaEvent(string type, AudioDeltaPool owner)
        : base(type)
    {
        _owner = owner;
    }
#pragma warning restore CS8618

    /// <summary>Fills a new or reused event from the parser: its ids, its pooled audio, and its event id as received bytes.</summary>
    internal void Fill(ReadOnlySpan<byte> eventIdUtf8, bool hasEventId, string responseId, string itemId, int outputIndex, int contentIndex, byte[] pooled, int length)
    {
        ForgetEventId();
        _eventIdLength = -1;
        if (hasEventId)
        {
            if (_eventIdUtf8.Length < eventIdUtf8.Length)
            {
                _eventIdUtf8 = new byte[Math.Max(64, eventIdUtf8.Length)];
            }
            eventIdUtf8.CopyTo(_eventIdUtf8);
            _eventIdLength = eventIdUtf8.Length;
        }
        SetContentFields(responseId, itemId, outputIndex, contentIndex);
        AdditionalProperties = null;
        ReceivedTimestamp = 0;
        _delta = null;
        _pooled = pooled;
        _audio = pooled.AsMemory(0, length);
        _audioDecoded = true;
    }

    private protected override string? MaterializeEventId() =>
        _eventIdLength < 0 ? null : System.Text.Encoding.UTF8.GetString(_eventIdUtf8, 0, _eventIdLength);

    /// <summary>The audio as base64 text, as on the wire.</summary>
    [JsonPropertyName("delta")]
    public required string Delta
    {
        get => _delta ??= Convert.ToBase64String(_audio.Span);
        init
        {
            _delta = value;
            _audioDecoded = false;
        }
    }

    /// <summary>The decoded audio bytes (pcm16 little-endian at the session's output rate, or G.711).</summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> Audio
    {
        get
        {
            if (!_audioDecoded)
            {
                _audio = Convert.FromBase64String(_delta ?? string.Empty);
                _audioDecoded = true;
            }
            return _audio;
        }
    }

    /// <summary>
    /// Returns the pooled audio buffer, and the event to its parser for a later delta: nothing of the event may be
    /// used afterwards.
    /// </summary>
    public void Dispose()
    {
        var pooled = Interlocked.Exchange(ref _pooled, null);
        if (pooled is not null)
        {
            _audio = default;
            ArrayPool<byte>.Shared.Return(pooled);
            _owner?.Return(this);
        }
    }
}
