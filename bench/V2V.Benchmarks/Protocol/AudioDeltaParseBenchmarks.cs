using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ServerEvents;

namespace V2V.Benchmarks.Protocol;

/// <summary>
/// The receive side of one audio chunk: a <c>response.output_audio.delta</c> with 10 ms (one frame) or 100 ms of 24 kHz pcm16,
/// parsed and its audio decoded. Ours decodes from the message bytes into a pooled buffer; the baseline
/// parses a document, takes the base64 string and decodes it to a new array.
/// </summary>
[MemoryDiagnoser]
public class AudioDeltaParseBenchmarks
{
    private readonly RealtimeEventParser _parser = new(RealtimeDialect.GA);
    private byte[] _message = [];

    /// <summary>Bytes of audio per delta: 480 = one 10 ms frame, 4800 = 100 ms.</summary>
    [Params(480, 4800)]
    public int AudioBytes { get; set; } = 4800;

    [GlobalSetup]
    public void Setup()
    {
        var audio = new byte[AudioBytes];
        new Random(2).NextBytes(audio);
        _message = Encoding.UTF8.GetBytes(
            $$"""{"type":"response.output_audio.delta","event_id":"event_4950","response_id":"resp_001","item_id":"msg_008","output_index":0,"content_index":0,"delta":"{{Convert.ToBase64String(audio)}}"}""");
    }

    [Benchmark(Baseline = true, Description = "JsonDocument + FromBase64String (baseline)")]
    public int DocumentAndString()
    {
        using var doc = JsonDocument.Parse(_message);
        return Convert.FromBase64String(doc.RootElement.GetProperty("delta").GetString()!).Length;
    }

    [Benchmark(Description = "v2v parse + decode (pooled)")]
    public int ParseAndDecode()
    {
        using var delta = (ResponseOutputAudioDeltaEvent)_parser.Parse(_message);
        return delta.Audio.Length;
    }
}
