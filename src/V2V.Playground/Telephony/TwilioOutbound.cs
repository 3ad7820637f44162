using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using V2V.Audio;

namespace V2V.Playground.Telephony;

/// <summary>
/// The messages this server sends on a media stream, written into buffers of its own (one call, one writer): <c>media</c>
/// (<c>{"event":"media","streamSid":S,"media":{"payload":BASE64}}</c>, mu-law 8 kHz), <c>mark</c>
/// (<c>{"event":"mark","streamSid":S,"mark":{"name":N}}</c>) and <c>clear</c> (<c>{"event":"clear","streamSid":S}</c>).
/// A media message is the mu-law code of each sample, base64 straight into the message: no string, no array per message.
/// </summary>
internal sealed class TwilioOutbound
{
    private readonly byte[] _mediaPrefix;
    private readonly byte[] _markPrefix;
    private static readonly byte[] MediaSuffix = "\"}}"u8.ToArray();
    private static readonly byte[] MarkSuffix = "\"}}"u8.ToArray();
    private byte[] _codes = new byte[160];
    private byte[] _message = new byte[512];

    public TwilioOutbound(string streamSid)
    {
        // The sid goes in as JSON writes it (escaped), once per call.
        var sid = JsonSerializer.Serialize(streamSid);
        _mediaPrefix = Encoding.UTF8.GetBytes($"{{\"event\":\"media\",\"streamSid\":{sid},\"media\":{{\"payload\":\"");
        _markPrefix = Encoding.UTF8.GetBytes($"{{\"event\":\"mark\",\"streamSid\":{sid},\"mark\":{{\"name\":\"");
        Clear = Encoding.UTF8.GetBytes($"{{\"event\":\"clear\",\"streamSid\":{sid}}}");
    }

    /// <summary>The <c>clear</c> message: Twilio drops the audio it has not played.</summary>
    public byte[] Clear { get; }

    /// <summary>A <c>media</c> message of <paramref name="pcm16"/> (8 kHz mono), valid until the next call.</summary>
    public ReadOnlyMemory<byte> Media(ReadOnlySpan<byte> pcm16)
    {
        var samples = Pcm16.AsSamples(pcm16);
        if (_codes.Length < samples.Length)
        {
            _codes = new byte[samples.Length];
        }
        var codes = _codes.AsSpan(0, samples.Length);
        MuLaw.Encode(samples, codes);
        var length = _mediaPrefix.Length + Base64.GetMaxEncodedToUtf8Length(codes.Length) + MediaSuffix.Length;
        if (_message.Length < length)
        {
            _message = new byte[length];
        }
        var at = Put(_mediaPrefix, 0);
        Base64.EncodeToUtf8(codes, _message.AsSpan(at), out _, out var written);
        return _message.AsMemory(0, Put(MediaSuffix, at + written));
    }

    /// <summary>A <c>mark</c> message named <paramref name="number"/>, valid until the next call.</summary>
    public ReadOnlyMemory<byte> Mark(long number)
    {
        var at = Put(_markPrefix, 0);
        Utf8Formatter.TryFormat(number, _message.AsSpan(at), out var written);
        return _message.AsMemory(0, Put(MarkSuffix, at + written));
    }

    private int Put(byte[] bytes, int at)
    {
        bytes.CopyTo(_message.AsSpan(at));
        return at + bytes.Length;
    }
}
