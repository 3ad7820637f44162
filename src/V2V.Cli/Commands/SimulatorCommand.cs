using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using V2V.Simulator;

namespace V2V.Cli.Commands;

/// <summary><c>v2v simulator</c>: runs the local realtime server until Ctrl+C.</summary>
internal static class SimulatorCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0: any free port).", DefaultValueFactory = _ => 8765 };
        var apiKey = new Option<string?>("--api-key") { Description = "Key clients must present as the profile takes it (openai: Bearer; azure: api-key header or Bearer); none: no auth." };
        var speed = new Option<double>("--speed") { Description = "Runs the server's clocks this many times faster: 1 = the service's own timing, 0 = no waiting at all.", DefaultValueFactory = _ => 1.0 };
        var pace = new Option<string>("--pace")
        {
            Description = "How answers are paced: service (as OpenAI sends them, faster than real time) or realtime (at most 500 ms ahead of real time).",
            HelpName = "service|realtime",
            DefaultValueFactory = _ => "service",
        };
        pace.AcceptOnlyFromAmong("service", "realtime");
        var generationSpeed = new Option<double>("--generation-speed") { Description = "With --pace service: seconds of answer audio sent per second.", DefaultValueFactory = _ => 4.0 };
        var script = new Option<FileInfo?>("--script") { Description = "JSON file of scripted responses." };
        var verbose = new Option<bool>("--verbose") { Description = "Log each connection and fault." };
        var chunkMs = new Option<int?>("--audio-chunk-ms") { Description = "Length of every audio delta, in ms (default: sizes that vary as the service's do)." };
        var dropProbability = new Option<double>("--drop-probability") { Description = "Fault: drop the connection after each event with this probability (0..1).", DefaultValueFactory = _ => 0 };
        var dropMeanSeconds = new Option<double>("--drop-mean-seconds") { Description = "Fault: drop each connection once, after a random time with this mean in seconds (0: never).", DefaultValueFactory = _ => 0 };
        var dropSeed = new Option<int>("--drop-seed") { Description = "Seed of the random drops.", DefaultValueFactory = _ => 1 };
        var abort = new Option<bool>("--abort") { Description = "Fault drops abort the connection (no close handshake)." };
        var profile = new Option<ServiceProfile>("--profile")
        {
            Description = $"The service to imitate: {string.Join(", ", ServiceProfileNames.All)} (default openai).",
            HelpName = string.Join('|', ServiceProfileNames.All),
            CustomParser = ParseProfile, // absent: default(ServiceProfile), OpenAi
        };
        var sessionLifetime = new Option<double?>("--session-lifetime")
        {
            Description = "Seconds until the server ends each session with session_expired (default: the profile's, 3600 openai, 1800 azure).",
            HelpName = "seconds",
        };
        sessionLifetime.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } seconds && (double.IsNaN(seconds) || seconds <= 0 || seconds > 86_400))
            {
                r.AddError($"--session-lifetime must be a number of seconds above 0 and at most 86400 (e.g. 120), not {seconds}.");
            }
        });

        var command = new Command("simulator", "Run the local realtime server: the OpenAI Realtime protocol on loopback as OpenAI or Azure OpenAI serve it (--profile), no API key needed.")
        {
            profile, sessionLifetime, port, apiKey, pace, generationSpeed, speed, script, verbose, chunkMs, dropProbability, dropMeanSeconds, dropSeed, abort,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            using var loggerFactory = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(result.GetValue(verbose) ? LogLevel.Debug : LogLevel.Warning));
            var options = new LocalRealtimeServerOptions
            {
                Profile = result.GetValue(profile),
                SessionLifetime = result.GetValue(sessionLifetime) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                Port = result.GetValue(port),
                ApiKey = result.GetValue(apiKey),
                SpeedFactor = result.GetValue(speed),
                Pace = result.GetValue(pace) == "realtime" ? ResponsePace.RealTime : ResponsePace.Service,
                GenerationSpeed = result.GetValue(generationSpeed),
                ScriptPath = result.GetValue(script)?.FullName,
                LoggerFactory = loggerFactory,
                AudioChunkMs = result.GetValue(chunkMs),
                Faults = new LocalRealtimeServerFaults
                {
                    DropProbabilityPerEvent = result.GetValue(dropProbability),
                    DropMeanSeconds = result.GetValue(dropMeanSeconds),
                    DropSeed = result.GetValue(dropSeed),
                    AbortInsteadOfClose = result.GetValue(abort),
                },
            };

            await using var server = await LocalRealtimeServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
            foreach (var line in StartupLines(server))
            {
                Console.WriteLine(line);
            }

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

    /// <summary>Where to connect, in the URL form and with the authentication of the running profile only.</summary>
    private static IEnumerable<string> StartupLines(LocalRealtimeServer server)
    {
        var options = server.Options;
        var lifetime = server.SessionLifetime;
        var lifetimeText = lifetime.TotalSeconds % 60 == 0
            ? $"{lifetime.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes"
            : $"{lifetime.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds";
        yield return $"Local realtime server ({ServiceProfileNames.Format(options.Profile)} profile) listening on {server.ExampleUri}";
        yield return options.Profile switch
        {
            ServiceProfile.Azure => "  Azure OpenAI GA: ?model=<deployment>; key in the 'api-key' header (or Authorization: Bearer); GA protocol.",
            ServiceProfile.AzurePreview => "  Azure OpenAI preview (deprecated): ?api-version=...&deployment=...; key in the 'api-key' header; beta protocol.",
            _ => "  OpenAI: key as Authorization: Bearer KEY (browsers: subprotocol openai-insecure-api-key.KEY); GA protocol.",
        };
        yield return $"  Sessions end after {lifetimeText} (session_expired, close 1001). Press Ctrl+C to stop.";
    }

    private static ServiceProfile ParseProfile(System.CommandLine.Parsing.ArgumentResult result)
    {
        var name = result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
        if (ServiceProfileNames.TryParse(name, out var parsed))
        {
            return parsed;
        }

        result.AddError(ServiceProfileNames.InvalidMessage(name, "--profile"));
        return default;
    }
}
