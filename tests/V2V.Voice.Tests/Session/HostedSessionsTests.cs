using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using V2V.Simulator;
using V2V.Voice.Outputs;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// Sessions in a host's services, as an ASP.NET Core app registers them: options bound from configuration and checked
/// at the host's start, a factory that starts each session with options of its own, and the host's logging.
/// </summary>
public sealed class HostedSessionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASessionStartedByTheFactory_HasTheConfiguredOptions_AndItsOwn_AndLogsToTheHost()
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions(), Ct);
        var logs = new FakeLoggerProvider();
        await using var services = Services(new Dictionary<string, string?>
        {
            ["Voice:Connection:BaseUri"] = server.BaseUri.ToString(),
            ["Voice:Connection:Model"] = "gpt-realtime",
            ["Voice:OutputSampleRate"] = "16000",
            ["Voice:TurnMode"] = "Manual",
        }, logs);
        var factory = services.GetRequiredService<VoiceSessionFactory>();

        await using var session = await factory.StartAsync(o => o.Greeting = "Hello from the host.", Ct);
        await session.UserJoinedAsync(Ct);
        var rates = new HashSet<int>();
        var said = "";
        await foreach (var output in session.ReadOutputsAsync(Ct))
        {
            if (output.TryGetAudio(out var frame))
            {
                using (frame)
                {
                    rates.Add(frame.SampleRate);
                }
            }
            else if (output.Event is TranscriptOutput { Role: TranscriptRole.Assistant } line)
            {
                said += line.Text;
                if (line.IsFinal)
                {
                    break;
                }
            }
        }

        Assert.Equal("Hello from the host.", said);
        Assert.Equal([16000], rates);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Category?.StartsWith("V2V.", StringComparison.Ordinal) == true);
        // The greeting was this session's: the next one's options are the registered ones again.
        Assert.Null(factory.CreateOptions(null).Greeting);
        Assert.Equal(TurnMode.Manual, factory.CreateOptions(null).TurnMode);
    }

    [Fact]
    public async Task SettingsAtFault_InTheConfiguration_StopTheHostAtItsStart_EachNamed()
    {
        await using var services = Services(new Dictionary<string, string?>
        {
            ["Voice:OutputSampleRate"] = "96000",
            ["Voice:Voice"] = "nobody",
        }, new FakeLoggerProvider());

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () => await services.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(Ct));

        Assert.Contains(ex.Failures, f => f.StartsWith("OutputSampleRate must be 8000 to 48000 Hz (got 96000)", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Voice must be one of", StringComparison.Ordinal));
    }

    [Fact]
    public async Task McpServers_AreBound_FromTheHostsConfiguration()
    {
        await using var services = Services(new Dictionary<string, string?>
        {
            ["Voice:McpServers:0:Label"] = "crm",
            ["Voice:McpServers:0:Url"] = "https://mcp.example.com/mcp",
            ["Voice:McpServers:0:Authorization"] = "from-a-secret-store",
            ["Voice:McpServers:0:Approval"] = "Never",
            ["Voice:McpServers:0:AllowedTools:0"] = "find_customer",
            ["Voice:McpServers:0:Headers:X-Tenant"] = "north",
        }, new FakeLoggerProvider());

        var server = Assert.Single(services.GetRequiredService<VoiceSessionFactory>().CreateOptions(null).McpServers);

        Assert.Equal(("crm", new Uri("https://mcp.example.com/mcp"), "from-a-secret-store", McpApproval.Never), (server.Label, server.Url, server.Authorization, server.Approval));
        Assert.Equal(["find_customer"], server.AllowedTools);
        Assert.Equal("north", server.Headers["X-Tenant"]);
        await services.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(Ct); // a server the service can reach: taken
    }

    [Fact]
    public async Task ASettingAtFault_MadeForOneSession_IsNamed_WhenThatSessionStarts()
    {
        await using var services = Services(new Dictionary<string, string?>(), new FakeLoggerProvider());

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => services.GetRequiredService<VoiceSessionFactory>().StartAsync(o => o.MaxHistory = -1, Ct));

        Assert.Equal(nameof(VoiceSessionOptions.MaxHistory), ex.ParamName);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings, FakeLoggerProvider logs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddProvider(logs));
        services.AddVoiceSessions().BindConfiguration("Voice");
        return services.BuildServiceProvider();
    }
}
