using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Realtime.Tests.Client;

/// <summary>
/// The client against the local realtime server in the Azure profiles, which serve only the URL form, credentials
/// and dialect of the real endpoints: GA (<c>/openai/v1/realtime?model=DEPLOYMENT</c>) and the deprecated preview.
/// </summary>
public sealed class AzureEndpointConnectionTests
{
    private const string Key = "azure-key-THAT-MUST-NEVER-BE-LOGGED";
    private const string Deployment = "my-realtime-deployment";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<LocalRealtimeServer> StartAsync(ServiceProfile profile) =>
        LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { Profile = profile, ApiKey = Key, SpeedFactor = 0 }, Ct);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GaEndpoint_FromTheResourceAndTheDeployment_ConnectsAndSpeaksGa(bool bearerToken)
    {
        await using var server = await StartAsync(ServiceProfile.Azure);
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var client = new RealtimeClient(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure,
            BaseUri = server.BaseUri,
            ApiKey = bearerToken ? null : Key,
            BearerToken = bearerToken ? Key : null,
            Model = Deployment,
            LoggerFactory = loggerFactory,
        });

        await using (var connection = await client.ConnectAsync(Ct))
        {
            Assert.Equal(RealtimeDialect.GA, connection.Dialect);
            Assert.Contains("/openai/v1/realtime?model=" + Deployment, connection.Endpoint, StringComparison.Ordinal);
            await using var events = connection.ReadEventsAsync(Ct).GetAsyncEnumerator(Ct);
            var created = Assert.IsType<SessionCreatedEvent>(await NextAsync(events));
            Assert.Equal(Deployment, created.Session.Model);
            Assert.Equal("realtime", created.Session.Type);

            // A GA session.update is understood: the server answers in GA, with what was asked.
            await connection.SendAsync(new SessionUpdateEvent { Session = new RealtimeSession { Type = "realtime", Instructions = "Be brief." } }, Ct);
            var updated = await NextOfAsync<SessionUpdatedEvent>(events);
            Assert.Equal("Be brief.", updated.Session.Instructions);
            await connection.CloseAsync(Ct);
        }

        Assert.DoesNotContain(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PreviewEndpoint_StillConnectsInBeta_WithAWarningThatItIsDeprecated()
    {
        await using var server = await StartAsync(ServiceProfile.AzurePreview);
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(logs));

        var client = new RealtimeClient(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure,
            BaseUri = server.BaseUri,
            ApiKey = Key,
            Path = "/openai/realtime?api-version=2025-04-01-preview",
            Model = Deployment,
            Dialect = RealtimeDialect.Beta,
            LoggerFactory = loggerFactory,
        });
        var warning = Assert.Single(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("deprecated", warning, StringComparison.Ordinal);
        Assert.Contains("/openai/v1/realtime?model=DEPLOYMENT", warning, StringComparison.Ordinal);

        await using var connection = await client.ConnectAsync(Ct);
        await using var events = connection.ReadEventsAsync(Ct).GetAsyncEnumerator(Ct);
        var created = Assert.IsType<SessionCreatedEvent>(await NextAsync(events));
        Assert.Equal(Deployment, created.Session.Model);
        Assert.Equal(RealtimeDialect.Beta, connection.Dialect);
    }

    [Fact]
    public async Task GaEndpoint_WithAWrongKey_IsAnAuthenticationFailure_NamingApiKey()
    {
        await using var server = await StartAsync(ServiceProfile.Azure);
        var client = new RealtimeClient(new RealtimeClientOptions
        {
            Vendor = RealtimeVendor.Azure, BaseUri = server.BaseUri, ApiKey = "not-the-key", Model = Deployment,
        });

        var ex = await Assert.ThrowsAsync<RealtimeAuthenticationException>(() => client.ConnectAsync(Ct));

        Assert.Equal(401, ex.StatusCode);
        Assert.Contains("ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-key", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneClient_OpensAConnectionPerCall()
    {
        await using var server = await StartAsync(ServiceProfile.Azure);
        var client = new RealtimeClient(new RealtimeClientOptions { Vendor = RealtimeVendor.Azure, BaseUri = server.BaseUri, ApiKey = Key, Model = Deployment });

        await using var first = await client.ConnectAsync(Ct);
        await using var second = await client.ConnectAsync(Ct);

        Assert.NotSame(first, second);
        foreach (var connection in new[] { first, second })
        {
            await using var events = connection.ReadEventsAsync(Ct).GetAsyncEnumerator(Ct);
            Assert.IsType<SessionCreatedEvent>(await NextAsync(events));
        }
    }

    private static async Task<RealtimeServerEvent> NextAsync(IAsyncEnumerator<RealtimeServerEvent> events)
    {
        Assert.True(await events.MoveNextAsync(), "the server closed the connection");
        return events.Current;
    }

    private static async Task<T> NextOfAsync<T>(IAsyncEnumerator<RealtimeServerEvent> events) where T : RealtimeServerEvent
    {
        while (true)
        {
            if (await NextAsync(events) is T wanted)
            {
                return wanted;
            }
        }
    }
}
