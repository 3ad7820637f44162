using System.Text;
using BenchmarkDotNet.Attributes;
using V2V.Audio;
using V2V.Playground.Telephony;

namespace V2V.Benchmarks.Telephony;

/// <summary>
/// What a phone call adds per 20 ms message, beside the browser's path: in, Twilio's media JSON read in place and its
/// mu-law decoded to pcm16 (then the session's own 8 -> 24 kHz resampling, which sending audio/pcmu to the service
/// would save); out, the session's 24 -> 8 kHz frame, mu-law encoded and base64 written into the media message, and
/// its mark. Goal: a few microseconds and 0 bytes per message.
/// </summary>
[MemoryDiagnoser]
public class PhoneMessageBenchmarks
{
    private readonly TwilioInbound _inbound = new();
    private readonly TwilioOutbound _outbound = new("MZ00000000000000000000000000000001");
    private readonly MarkLedger _marks = new();
    private readonly short[] _pcm8k = new short[160];
    private readonly short[] _pcm24k = new short[480];
    private readonly short[] _up = new short[600];
    private readonly short[] _down = new short[200];
    private AudioResampler _upsampler = null!;
    private AudioResampler _downsampler = null!;
    private byte[] _mediaJson = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var codes = new byte[160];
        random.NextBytes(codes);
        _mediaJson = Encoding.UTF8.GetBytes(
            "{\"event\":\"media\",\"sequenceNumber\":\"3\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"5\",\"payload\":\""
            + Convert.ToBase64String(codes) + "\"},\"streamSid\":\"MZ00000000000000000000000000000001\"}");
        for (var i = 0; i < _pcm24k.Length; i++)
        {
            _pcm24k[i] = (short)random.Next(-16000, 16000);
        }
        _upsampler = new AudioResampler(8000, 24000, ResamplerPhase.Minimum);
        _downsampler = new AudioResampler(24000, 8000);
    }

    /// <summary>In: read the media message and decode its mu-law.</summary>
    [Benchmark]
    public int MediaIn()
    {
        _inbound.TryRead(_mediaJson, out _);
        MuLaw.Decode(_inbound.Payload, _pcm8k);
        return _inbound.PayloadLength;
    }

    /// <summary>In, and the session's resampling to the service's 24 kHz (what audio/pcmu input would spare).</summary>
    [Benchmark]
    public int MediaInResampled()
    {
        MediaIn();
        return _upsampler.Process(_pcm8k, _up);
    }

    /// <summary>Out: the session's 20 ms frame at 8 kHz from 24 kHz, then the media message and its mark.</summary>
    [Benchmark]
    public int MediaOutResampled()
    {
        var count = _downsampler.Process(_pcm24k, _down);
        var media = _outbound.Media(Pcm16.AsBytes(_down.AsSpan(0, count)));
        var mark = _outbound.Mark(_marks.Note("item_1", 20));
        return media.Length + mark.Length;
    }
}
