namespace V2V.Load;
internal static class TtfaRunner { public static Task RunAsync(int turns) => Task.CompletedTask; }
