using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Endpoints;

public sealed class MappedHostTests
{
    [Theory]
    [InlineData(ServiceProfile.OpenAi, "/v1/realtime?model=gpt-realtime", false)]
    [InlineData(ServiceProfile.AzurePreview, "/openai/realtime?api-version=2025-04-01-preview&deployment=gpt-4o-realtime-preview", true)]
    public async Task MappedOntoAnExistingApplication_ServesItsProfile_BesideItsOwnEndpoints(ServiceProfile profile, string pathAndQuery, bool beta)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/health", () => "ok");
        app.MapLocalRealtimeServer(new LocalRealtimeServerOptions { SpeedFactor = 0, Profile = profile });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        await using var client = await RealtimeTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}{pathAndQuery}"), beta);

        var session = (await client.NextAsync())["session"]!;
        Assert.Equal(beta ? null : "realtime", session["type"]?.GetValue<string>());
        Assert.Equal(beta ? "pcm16" : null, session["input_audio_format"]?.GetValue<string>());
        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health"), TestContext.Current.CancellationToken));

        // Client secrets are mapped beside the realtime path: minted on a GA profile, absent (404) on the preview one.
        var secrets = await ClientSecretProbe.SendAsync(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}{profile.Path()}/client_secrets"), "{}");
        Assert.Equal(beta ? HttpStatusCode.NotFound : HttpStatusCode.OK, secrets.Status);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
