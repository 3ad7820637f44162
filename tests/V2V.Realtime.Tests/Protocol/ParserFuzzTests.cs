using System.Text;
using FsCheck;
using FsCheck.Fluent;
using V2V.Realtime.Protocol;
using V2V.Realtime.Tests.Support;

namespace V2V.Realtime.Tests.Protocol;

/// <summary>
/// Property-based fuzzing of the server-event parser with a fixed budget: whatever bytes arrive, parsing
/// returns an event (typed, unknown or malformed) and never throws. Seeds are random per run; a failure
/// prints its seed and the shrunk input.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Budget = 3000;

    private static readonly string[] Examples = [.. new[] { RealtimeDialect.GA, RealtimeDialect.Beta }
        .SelectMany(ProtocolSchemas.Examples).Select(e => e.Json)];

    [Theory]
    [InlineData(RealtimeDialect.GA)]
    [InlineData(RealtimeDialect.Beta)]
    public void RandomBytes_NeverThrow(RealtimeDialect dialect)
    {
        var parser = new RealtimeEventParser(dialect);

        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => parser.Parse(bytes) is not null)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Budget));
    }

    [Theory]
    [InlineData(RealtimeDialect.GA)]
    [InlineData(RealtimeDialect.Beta)]
    public void MutatedExamplePayloads_NeverThrow(RealtimeDialect dialect)
    {
        var parser = new RealtimeEventParser(dialect);
        var mutations = from index in Gen.Choose(0, Examples.Length - 1)
                        from kind in Gen.Choose(0, 4)
                        from at in Gen.Choose(0, 10_000)
                        from length in Gen.Choose(1, 40)
                        from junk in Gen.Elements("\"", "{", "}", "[", "]", ",", ":", "null", "1e999", "-", "\\u0000", "\"type\":5", "true")
                        select Mutate(Examples[index], kind, at, length, junk);

        Prop.ForAll(mutations.ToArbitrary(), json => parser.Parse(Encoding.UTF8.GetBytes(json)) is not null)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Budget));
    }

    [Fact]
    public void EveryKnownTypeWithRandomFields_NeverThrows()
    {
        var parser = new RealtimeEventParser(RealtimeDialect.Beta);
        var names = RealtimeEventCatalog.Events.Where(d => !d.IsClientEvent).SelectMany(d => new[] { d.GaName, d.BetaName }).OfType<string>().Distinct().ToArray();
        var fields = new[] { "event_id", "response_id", "item_id", "output_index", "content_index", "delta", "session", "response", "item", "part", "error", "audio_end_ms", "transcript", "rate_limits" };
        var values = new[] { "null", "0", "-1", "2147483648", "\"x\"", "\"AAAA\"", "{}", "[]", "{\"type\":null}", "[{\"content\":5}]", "1.5", "true" };
        var events = from name in Gen.Elements(names)
                     from chosen in Gen.SubListOf(fields)
                     from picks in Gen.ArrayOf(Gen.Elements(values), chosen.Count)
                     select "{\"type\":\"" + name + "\"" + string.Concat(chosen.Select((f, i) => $",\"{f}\":{picks[i]}")) + "}";

        Prop.ForAll(events.ToArbitrary(), json => parser.Parse(Encoding.UTF8.GetBytes(json)) is not null)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Budget));
    }

    private static string Mutate(string json, int kind, int at, int length, string junk)
    {
        at %= Math.Max(1, json.Length);
        length = Math.Min(length, json.Length - at);
        return kind switch
        {
            0 => json[..at], // truncated
            1 => json.Remove(at, length), // a piece missing
            2 => json.Insert(at, junk), // junk inserted
            3 => json[..at] + junk + json[(at + length)..], // a piece replaced
            _ => json + json[at..], // trailing garbage
        };
    }
}
