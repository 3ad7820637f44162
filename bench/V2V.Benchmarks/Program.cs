using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line (or asks): `dotnet run -c Release --project bench/V2V.Benchmarks -- --filter '*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
