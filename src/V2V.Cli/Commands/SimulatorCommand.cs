using System.CommandLine;
using Microsoft.Extensions.Logging;
using V2V.Simulator;

namespace V2V.Cli.Commands;

/// <summary><c>v2v simulator</c>: runs the local realtime server until Ctrl+C.</summary>
internal static class SimulatorCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0: any free port).", DefaultValueFactory = _ => 8765 };
        var apiKey = new Option<string?>("--api-key") { Description = "Key clients must present (Bearer or api-key header); none: no auth." };
        var speed = new Option<double>("--speed") { Description = "Pacing of responses: 1 = real time, 0 = no pacing.", DefaultValueFactory = _ => 1.0 };
        var script = new Option<FileInfo?>("--script") { Description = "JSON file of scripted responses." };
        var verbose = new Option<bool>("--verbose") { Description = "Log each connection and fault." };
        var chunkMs = new Option<int>("--audio-chunk-ms") { Description = "Length of each audio delta, in ms.", DefaultValueFactory = _ => 100 };
        var dropProbability = new Option<double>("--drop-probability") { Description = "Fault: drop the connection after each event with this probability (0..1).", DefaultValueFactory = _ => 0 };
        var dropSeed = new Option<int>("--drop-seed") { Description = "Seed of the random drops.", DefaultValueFactory = _ => 1 };
        var abort = new Option<bool>("--abort") { Description = "Fault drops abort the connection (no close handshake)." };

        var command = new Command("simulator", "Run the local realtime server: the OpenAI Realtime protocol (GA and beta) on loopback, no API key needed.")
        {
            port, apiKey, speed, script, verbose, chunkMs, dropProbability, dropSeed, abort,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            using var loggerFactory = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(result.GetValue(verbose) ? LogLevel.Debug : LogLevel.Warning));
            var options = new LocalRealtimeServerOptions
            {
                Port = result.GetValue(port),
                ApiKey = result.GetValue(apiKey),
                SpeedFactor = result.GetValue(speed),
                ScriptPath = result.GetValue(script)?.FullName,
                LoggerFactory = loggerFactory,
                AudioChunkMs = result.GetValue(chunkMs),
                Faults = new LocalRealtimeServerFaults
                {
                    DropProbabilityPerEvent = result.GetValue(dropProbability),
                    DropSeed = result.GetValue(dropSeed),
                    AbortInsteadOfClose = result.GetValue(abort),
                },
            };

            await using var server = await LocalRealtimeServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Local realtime server listening on {server.RealtimeUri}");
            Console.WriteLine($"  Azure form: {server.BaseUri}openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o-realtime-preview");
            Console.WriteLine("  Header 'OpenAI-Beta: realtime=v1' selects the beta protocol. Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("Stopping.");
            }

            return 0;
        });
        return command;
    }
}
