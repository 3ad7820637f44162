using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using V2V.Realtime.Client;

namespace V2V.Benchmarks.Protocol;

/// <summary>
/// The send side of one audio chunk: 10 ms (480 bytes, one frame) or 100 ms (4,800 bytes) of 24 kHz pcm16 into an
/// <c>input_audio_buffer.append</c> message. Ours writes base64 straight into a pooled buffer; the baseline
/// is what a straightforward client does (a base64 string, then a JSON serializer).
/// </summary>
[MemoryDiagnoser]
public class AudioAppendBenchmarks
{
    private byte[] _audio = [];
    private byte[] _destination = [];

    /// <summary>Bytes of audio per append: 480 = one 10 ms frame, 4800 = 100 ms.</summary>
    [Params(480, 4800)]
    public int AudioBytes { get; set; } = 4800;

    [GlobalSetup]
    public void Setup()
    {
        _audio = new byte[AudioBytes];
        _destination = new byte[AudioAppendWriter.MessageLength(AudioBytes)];
        new Random(1).NextBytes(_audio);
    }

    [Benchmark(Baseline = true, Description = "string + JsonSerializer (baseline)")]
    public byte[] StringAndSerializer() =>
        JsonSerializer.SerializeToUtf8Bytes(new AppendDto("input_audio_buffer.append", Convert.ToBase64String(_audio)), BenchJsonContext.Default.AppendDto);

    [Benchmark(Description = "v2v append into a buffer")]
    public int IntoBuffer() => AudioAppendWriter.Write(_audio, _destination);

    [Benchmark(Description = "v2v append, rent + return")]
    public int RentAndReturn()
    {
        var message = AudioAppendWriter.Rent(_audio);
        var length = message.Length;
        message.Return();
        return length;
    }
}

public sealed record AppendDto(string type, string audio);

[System.Text.Json.Serialization.JsonSerializable(typeof(AppendDto))]
public sealed partial class BenchJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
