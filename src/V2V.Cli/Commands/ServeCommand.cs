using System.CommandLine;
using System.Text.Json.Nodes;
using V2V.Cli.Serve;
using V2V.Playground;

namespace V2V.Cli.Commands;

/// <summary>
/// <c>v2v serve</c>: the web playground on http://127.0.0.1:8080 until Ctrl+C. Backend: OpenAI when the key variable
/// (OPENAI_API_KEY) is set; Azure OpenAI's GA endpoint with <c>--vendor azure</c> (key AZURE_OPENAI_API_KEY, resource
/// AZURE_OPENAI_ENDPOINT, deployment AZURE_OPENAI_DEPLOYMENT unless the flags say them), or when AZURE_OPENAI_ENDPOINT
/// and AZURE_OPENAI_API_KEY are set; otherwise the local realtime server in this process.
/// <c>--graph FILE [--graph-name NAME] [--bind NODE=ADDON]</c> runs a TEN app's graph behind the page instead of the
/// playground's own (see <see cref="ServeGraph"/>); phone calls then run the same graph. Phone calls at
/// <c>/media-stream</c>: <c>--twilio-auth-token-env</c>, <c>--public-url</c>, <c>--max-calls</c>, or the settings
/// <c>Serve:Phone:*</c> (<see cref="ServeTelephony"/>). Settings also from appsettings.json, <c>--config FILE</c> and
/// <c>V2V_</c> variables (<see cref="ServeConfiguration"/>). SIGTERM or Ctrl+C drains (<see cref="PlaygroundServer.DrainAsync"/>),
/// then stops. Exit codes: 0 stopped (after a drain), 1 failed, 2 not started as configured.
/// </summary>
internal static class ServeCommand
{
    private const int NotStarted = 2;
    private const int Failed = 1;

    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen, ';'-separated (default {PlaygroundOptions.DefaultUrl}). A non-loopback address needs --token." };
        var host = new Option<string?>("--host") { Description = "Listen on this host or IP instead of 127.0.0.1 (e.g. 0.0.0.0; needs --token)." };
        var port = new Option<int>("--port") { Description = "Port, with --host (default 8080).", DefaultValueFactory = _ => 8080 };
        var token = new Option<string?>("--token") { Description = $"Access token (16+ characters) required by the page and the WebSocket; or the environment variable {PlaygroundOptions.TokenVariable}." };
        var keyVariable = new Option<string?>("--api-key-env") { Description = $"The environment variable that holds the API key (the key itself never goes on a command line); default {ServeBackend.OpenAIKeyVariable}, with --vendor azure {ServeBackend.AzureKeyVariable}." };
        var vendor = new Option<string?>("--vendor") { Description = $"\"azure\" for Azure OpenAI's GA endpoint: key from ${ServeBackend.AzureKeyVariable}, resource from --base-uri or ${ServeBackend.AzureEndpointVariable}, deployment from --model or ${ServeBackend.AzureDeploymentVariable}." };
        // A vendor the extension does not know must stop serve now, not the first session a page starts.
        vendor.AcceptOnlyFromAmong("openai", "azure");
        var baseUri = new Option<string?>("--base-uri") { Description = "The realtime service, e.g. wss://api.openai.com or wss://RESOURCE.openai.azure.com." };
        var path = new Option<string?>("--path") { Description = "Path and query, when not the default (OpenAI /v1/realtime, Azure /openai/v1/realtime). Azure's deprecated preview: /openai/realtime?api-version=...&deployment=NAME (spoken in beta)." };
        var model = new Option<string?>("--model") { Description = $"The model; on Azure the deployment (default {ConnectionOptions.DefaultModel})." };
        var set = new Option<string[]>("--set") { Description = "Any other openai_v2v property: name=value (repeatable), e.g. --set greeting=Hello!", Arity = ArgumentArity.ZeroOrMore };
        var maxSessions = new Option<int>("--max-sessions") { Description = "Browser sessions at once.", DefaultValueFactory = _ => 8 };
        var verbose = new Option<bool>("--verbose") { Description = "Debug logging (sessions, graphs, the realtime connection)." };
        var graph = new Option<FileInfo?>("--graph") { Description = $"Run a TEN app's graph behind the page (its property.json, with its ten_packages): the page is its agora_rtc node ({PlaygroundGraph.RtcAddon}); these flags' agent properties go to its openai_v2v node where the graph sets none." };
        var graphName = new Option<string?>("--graph-name") { Description = "Which predefined graph of the --graph file (default: its one auto_start graph)." };
        var bind = GraphCommand.BindOption();
        var config = new Option<FileInfo?>("--config") { Description = $"A JSON settings file (as {ServeConfiguration.AppSettingsFile}, which is read from beside the program first): sections Serve (phone calls: Serve:Phone), Drain, Telemetry, Logging. Environment variables V2V_SECTION__NAME and the flags override it." };
        var drainTimeout = new Option<double>("--drain-timeout") { Description = "Seconds that SIGTERM or Ctrl+C lets live sessions go on (no new ones are taken) before ending them (default 30).", DefaultValueFactory = _ => 30 };
        var metrics = new Option<bool>("--metrics") { Description = "Serve /metrics for a Prometheus scrape (the V2V.Voice meter)." };
        var otlp = new Option<Uri?>("--otlp-endpoint") { Description = "Send metrics and traces to this OTLP collector (default: OTEL_EXPORTER_OTLP_ENDPOINT when set)." };
        var logFormat = new Option<string?>("--log-format") { Description = "Console log format: simple (default), json or systemd." };
        var twilioTokenVariable = new Option<string?>("--twilio-auth-token-env") { Description = $"Phone calls (/media-stream): the environment variable that holds the Twilio auth token, which makes the line accept only streams Twilio signed; default {Playground.Telephony.TelephonyOptions.AuthTokenVariable}. Unset: loopback callers only. The token itself is never a flag or a setting." };
        var publicUrl = new Option<string?>("--public-url") { Description = "Phone calls: the stream's wss:// URL as the TwiML's <Stream url> gives it (what Twilio signs), when a proxy stands in front (default: rebuilt from the request)." };
        var maxCalls = new Option<int>("--max-calls") { Description = "Phone calls at once.", DefaultValueFactory = _ => 8 };
        var command = new Command("serve", "Run the web playground: talk to the agent from a browser, with live transcript and timeline.")
        {
            urls, host, port, token, keyVariable, vendor, baseUri, path, model, set, maxSessions, verbose, graph, graphName, bind,
            config, drainTimeout, metrics, otlp, logFormat, twilioTokenVariable, publicUrl, maxCalls,
        };
        // Each flag is one setting of the configuration, given on the command line (ServeSetting names them all).
        var flags = new List<(Option Option, string Key, Func<ParseResult, object?> Value)>();
        void Flag<T>(Option<T> option, string key) => flags.Add((option, key, r => r.GetValue(option)));
        Flag(urls, "Serve:Urls");
        Flag(host, "Serve:Host");
        Flag(port, "Serve:Port");
        Flag(token, "Serve:Token");
        Flag(keyVariable, "Serve:ApiKeyEnv");
        Flag(vendor, "Serve:Vendor");
        Flag(baseUri, "Serve:BaseUri");
        Flag(path, "Serve:Path");
        Flag(model, "Serve:Model");
        Flag(maxSessions, "Serve:MaxSessions");
        Flag(verbose, "Serve:Verbose");
        Flag(graph, "Serve:Graph");
        Flag(graphName, "Serve:GraphName");
        Flag(twilioTokenVariable, "Serve:Phone:AuthTokenEnv");
        Flag(publicUrl, "Serve:Phone:PublicUrl");
        Flag(maxCalls, "Serve:Phone:MaxCalls");
        Flag(drainTimeout, "Drain:Timeout");
        Flag(metrics, "Telemetry:Prometheus");
        Flag(otlp, "Telemetry:OtlpEndpoint");
        Flag(logFormat, "Logging:Console:FormatterName");
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            // Only the flags given: a flag's default must not hide what a file or a variable set.
            var given = flags.Where(f => result.GetResult(f.Option) is { Implicit: false })
                .ToDictionary(f => f.Key, f => ServeConfiguration.Text(f.Value(result)));
            if (result.GetValue(config) is null && ServeConfiguration.UnreadAppSettings(AppContext.BaseDirectory, Environment.CurrentDirectory) is { } unread)
            {
                Console.Error.WriteLine($"v2v serve: note: {unread} is not read (settings are read from {ServeConfiguration.AppSettingsFile} beside the program, in {AppContext.BaseDirectory}); to use it, add --config {unread}.");
            }
            var configuration = ServeConfiguration.Load(AppContext.BaseDirectory, result.GetValue(config), given, out var problem);
            if (configuration is null)
            {
                Console.Error.WriteLine($"v2v serve: {problem}");
                return NotStarted;
            }
            var settings = configuration.Serve;
            using var loggerFactory = ServeLogging.Create(configuration.Root, settings.Verbose);
            var options = new PlaygroundOptions
            {
                AccessToken = settings.Token,
                MaxSessions = settings.MaxSessions,
                DrainTimeout = TimeSpan.FromSeconds(configuration.Drain.Timeout),
                LoggerFactory = loggerFactory,
            };
            options.Telemetry.Prometheus = configuration.Telemetry.Prometheus;
            options.Telemetry.OtlpEndpoint = configuration.Telemetry.OtlpEndpoint;
            foreach (var url in Addresses(settings.Urls, settings.Host, settings.Port))
            {
                options.Urls.Add(url);
            }
            // Serve:Properties first, then --set: the command line wins.
            string[] assignments = [.. settings.Properties.Select(p => $"{p.Key}={p.Value}"), .. result.GetValue(set) ?? []];
            if (!ServeBackend.TryConfigure(options.ExtensionProperties, Environment.GetEnvironmentVariable, settings.ApiKeyEnv, settings.Vendor, settings.BaseUri, settings.Path, settings.Model, assignments, Console.Error, out var readKeyFrom))
            {
                return NotStarted;
            }
            options.RefusedKeyFix = ServeBackend.RefusedKeyFix(readKeyFrom);
            if (!ServeTelephony.TryConfigure(options.Telephony, Environment.GetEnvironmentVariable, settings.Phone, Console.Error))
            {
                return NotStarted;
            }
            if (settings.Graph is { Length: > 0 } graphFile)
            {
                options.Graph = ServeGraph.Load(new FileInfo(graphFile), settings.GraphName, result.GetValue(bind) ?? [], Console.Error);
                if (options.Graph is null)
                {
                    return NotStarted;
                }
            }
            else if (result.GetValue(bind) is { Length: > 0 } || settings.GraphName is not null)
            {
                Console.Error.WriteLine("v2v serve: --bind and --graph-name apply to a TEN app's graph: add --graph FILE (its property.json).");
                return NotStarted;
            }
            return await RunAsync(options).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(PlaygroundOptions options)
    {
        using var signals = new ShutdownSignals();
        PlaygroundServer server;
        try
        {
            server = await PlaygroundServer.StartAsync(options, signals.Drain).ConfigureAwait(false);
        }
        catch (PlaygroundConfigurationException ex)
        {
            Console.Error.WriteLine($"v2v serve: {ex.Message}");
            return NotStarted;
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"v2v serve: cannot listen: {ex.Message} Choose another port with --port N (or --urls).");
            return Failed;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        await using (server.ConfigureAwait(false))
        {
            // The address, never the access token: in a container or under systemd this line goes to the logs. The operator
            // gave the token (flag, setting or variable) and adds it once as ?token=.
            Console.WriteLine($"v2v playground: open {server.Addresses[0]}");
            if (server.PageUrl != server.Addresses[0])
            {
                Console.WriteLine("  access: add ?token=<the access token you set> to that address once (the token is not printed)");
            }
            Console.WriteLine($"  backend: {server.Backend.Describe()}");
            Console.WriteLine($"  sessions: at most {options.MaxSessions}; on SIGTERM or Ctrl+C they get up to {options.DrainTimeout.TotalSeconds:0} s to end");
            Console.WriteLine($"  phone calls: at most {options.Telephony.MaxCalls} at {MediaStreamUrl(server.Addresses[0])}"
                + (options.Telephony.PublicUrl is { } signed ? $", signed as {signed}" : ""));
            if (options.Telemetry.Prometheus)
            {
                Console.WriteLine($"  metrics: {new Uri(server.Addresses[0], "metrics")}");
            }
            Console.WriteLine("  Press Ctrl+C to stop.");
            await Task.Delay(Timeout.Infinite, signals.Drain).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Console.WriteLine("Draining (Ctrl+C again to stop now).");
            try
            {
                await server.DrainAsync(signals.Now).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Asked to stop now: the sessions left end with the server.
            }
            Console.WriteLine("Stopping.");
        }
        return 0;
    }

    // The phone line is a WebSocket: ws:// beside http://, wss:// beside https://.
    private static Uri MediaStreamUrl(Uri page) =>
        new UriBuilder(new Uri(page, "media-stream")) { Scheme = page.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;

    private static IEnumerable<string> Addresses(string? urls, string? host, int port)
    {
        if (!string.IsNullOrWhiteSpace(urls))
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        if (!string.IsNullOrWhiteSpace(host))
        {
            var bracketed = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
            return [$"http://{bracketed}:{port}"];
        }
        return port == 8080 ? [] : [$"http://127.0.0.1:{port}"];
    }
}
