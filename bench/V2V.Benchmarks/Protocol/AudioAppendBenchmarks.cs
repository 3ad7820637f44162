using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using V2V.Realtime.Client;

namespace V2V.Benchmarks.Protocol;

/// <summary>
/// The send side of one audio chunk: 100 ms of 24 kHz pcm16 (4,800 bytes) into an
/// <c>input_audio_buffer.append</c> message. Ours writes base64 straight into a pooled buffer; the baseline
/// is what a straightforward client does (a base64 string, then a JSON serializer).
/// </summary>
[MemoryDiagnoser]
public class AudioAppendBenchmarks
{
    private readonly byte[] _audio = new byte[4800];
    private readonly byte[] _destination = new byte[AudioAppendWriter.MessageLength(4800)];

    [GlobalSetup]
    public void Setup() => new Random(1).NextBytes(_audio);

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
