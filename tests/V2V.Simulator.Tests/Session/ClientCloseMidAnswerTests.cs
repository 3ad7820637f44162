using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using V2V.Simulator.Tests.Support;

namespace V2V.Simulator.Tests.Session;

/// <summary>
/// A client that closes while an answer streams ends its session (its expiry timer with it), as a renewal's old
/// connection must: a session left running would send <c>session_expired</c> to a connection the client let go.
/// </summary>
public sealed class ClientCloseMidAnswerTests
{
    [Fact]
    public async Task AClientThatCancelsThenClosesMidAnswer_EndsItsSession()
    {
        var clock = new FakeTimeProvider();
        var ended = new TaskCompletionSource<WebSocketCloseStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await Servers.StartAsync(o =>
        {
            o.SpeedFactor = 1; // the answer streams on the fake clock: still streaming when the client closes
            o.TimeProvider = clock;
            o.ClientCloseObserver = status => ended.TrySetResult(status);
        });
        var (client, _) = await RealtimeTestClient.StartAsync(server);
        await client.SendAsync(Turns.ServerVadTurnTests.VadUpdate(ga: true, transcription: false));
        await client.UntilAsync("session.updated");
        await client.AppendAudioAsync(TestAudio.Turn(300, 8000, 800));
        await client.UntilAsync("response.output_audio.delta");

        // As a renewal leaves a connection: the answer cancelled, then the close handshake.
        await client.SendAsync(new JsonObject { ["type"] = "response.cancel" });
        await client.DisposeAsync();
        var status = await ended.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
    }
}
