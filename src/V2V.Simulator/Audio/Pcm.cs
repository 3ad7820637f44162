using System.Buffers.Binary;
using V2V.Audio;

namespace V2V.Simulator.Audio;

/// <summary>
/// Conversions between the wire formats and the server's one internal form: 24 kHz mono pcm16 samples.
/// G.711 is 8 kHz on the wire; the 3x rate change is linear interpolation up and a 3-tap average down,
/// which is plenty for an echo agent and a VAD.
/// </summary>
internal static class Pcm
{
    public const int SampleRate = 24_000;
    public const int SamplesPerMs = SampleRate / 1000;

    public static int Ms(long samples) => (int)(samples / SamplesPerMs);

    public static short[] Decode(ReadOnlySpan<byte> wire, AudioFormat format)
    {
        if (format == AudioFormat.Pcm16)
        {
            var samples = new short[wire.Length / 2];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = BinaryPrimitives.ReadInt16LittleEndian(wire[(2 * i)..]);
            }

            return samples;
        }

        var output = new short[wire.Length * 3];
        short previous = 0;
        for (var i = 0; i < wire.Length; i++)
        {
            var current = format == AudioFormat.G711Ulaw ? MuLaw.Decode(wire[i]) : ALaw.Decode(wire[i]);
            for (var k = 0; k < 3; k++)
            {
                output[(3 * i) + k] = (short)(previous + ((current - previous) * (k + 1) / 3));
            }

            previous = current;
        }

        return output;
    }

    public static byte[] Encode(ReadOnlySpan<short> samples, AudioFormat format)
    {
        if (format == AudioFormat.Pcm16)
        {
            var bytes = new byte[samples.Length * 2];
            for (var i = 0; i < samples.Length; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
            }

            return bytes;
        }

        var output = new byte[samples.Length / 3];
        for (var i = 0; i < output.Length; i++)
        {
            var average = (short)((samples[3 * i] + samples[(3 * i) + 1] + samples[(3 * i) + 2]) / 3);
            output[i] = format == AudioFormat.G711Ulaw ? MuLaw.Encode(average) : ALaw.Encode(average);
        }

        return output;
    }
}
