namespace V2V.Simulator.Tests.Faults;

/// <summary>The random drops of chaos runs: a seed repeats its run, and another seed is another run.</summary>
public sealed class DropSeedTests
{
    [Fact]
    public void TheSameSeed_DropsTheSameConnectionsAtTheSameEvents()
    {
        Assert.Equal(FirstDrops(seed: 11), FirstDrops(seed: 11));
    }

    [Fact]
    public void AnotherSeed_IsAnotherRun_NotTheSameRunShiftedByAConnection()
    {
        var eleven = FirstDrops(seed: 11);
        var twelve = FirstDrops(seed: 12);

        // Seeded with seed + k, seed 12's connection k was seed 11's connection k + 1: the same drops, one connection
        // earlier. Mixed, the two runs share only the drops chance would give them.
        var shifted = eleven.Select(d => (d.Connection - 1, d.Event)).ToHashSet();
        Assert.True(twelve.Count(shifted.Contains) < twelve.Count / 4, $"{twelve.Count(shifted.Contains)} of {twelve.Count} drops repeat seed 11's");
        Assert.True(twelve.Count(eleven.ToHashSet().Contains) < twelve.Count / 4);
    }

    [Fact]
    public void Drops_ComeAtTheGivenProbabilityPerEvent()
    {
        // 2,000 connections of 500 events at 0.002: a connection survives them all with probability 0.998^500 = 0.37.
        var drops = FirstDrops(seed: 3, connections: 2_000, events: 500, probability: 0.002);

        Assert.InRange(drops.Count, 2_000 * 0.55, 2_000 * 0.71);
    }

    [Fact]
    public void TimedDrops_AreDrawnWithTheGivenMean_AndASeedRepeatsThem()
    {
        static List<TimeSpan> Draws(int seed)
        {
            var faults = new LocalRealtimeServerFaults { DropMeanSeconds = 10, DropSeed = seed };
            return [.. Enumerable.Range(0, 4_000).Select(_ => faults.NextDropAfter()!.Value)];
        }

        var draws = Draws(5);
        Assert.Equal(draws, Draws(5));
        Assert.NotEqual(draws, Draws(6));
        // Exponential with a mean of 10 s: the mean of 4,000 draws within 5 % of it (about three standard errors), and
        // about 63 % of them under the mean.
        Assert.InRange(draws.Average(d => d.TotalSeconds), 9.5, 10.5);
        Assert.InRange(draws.Count(d => d.TotalSeconds < 10) / 4_000.0, 0.60, 0.66);
        Assert.Null(new LocalRealtimeServerFaults().NextDropAfter());
    }

    // Connection k's first dropped event (within the first events), for the connections that drop.
    private static List<(int Connection, int Event)> FirstDrops(int seed, int connections = 400, int events = 300, double probability = 0.01)
    {
        var faults = new LocalRealtimeServerFaults { DropProbabilityPerEvent = probability, DropSeed = seed };
        var drops = new List<(int, int)>();
        for (var k = 1; k <= connections; k++)
        {
            var random = faults.NextDropRandom()!;
            for (var e = 0; e < events; e++)
            {
                if (random.NextDouble() < probability)
                {
                    drops.Add((k, e));
                    break;
                }
            }
        }
        return drops;
    }
}
