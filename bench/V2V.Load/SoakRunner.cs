namespace V2V.Load;
internal static class SoakRunner { public static Task RunAsync(double minutes, double speed) => Task.CompletedTask; }
