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
    [Fact]
    public async Task MappedOntoAnExistingApplication_ServesBothDialects_BesideItsOwnEndpoints()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/health", () => "ok");
        app.MapLocalRealtimeServer(new LocalRealtimeServerOptions { SpeedFactor = 0 });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        await using var ga = await RealtimeTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/v1/realtime?model=gpt-realtime"));
        await using var beta = await RealtimeTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/v1/realtime"), beta: true);

        Assert.Equal("realtime", (await ga.NextAsync())["session"]!.Str("type"));
        Assert.Equal("pcm16", (await beta.NextAsync())["session"]!.Str("input_audio_format"));
        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health"), TestContext.Current.CancellationToken));
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
