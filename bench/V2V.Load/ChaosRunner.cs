namespace V2V.Load;
internal static class ChaosRunner { public static Task RunAsync(int sessions, double seconds, double p, int seed) => Task.CompletedTask; }
