using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using V2V.Playground.Telephony;
using V2V.Playground.Tests.Support;

namespace V2V.Playground.Tests.Telephony;

/// <summary>Who may open a media stream: Twilio's signature of the stream URL when an auth token is set.</summary>
public sealed class StreamGateTests
{
    private const string AuthToken = "twilio-auth-token-for-tests-0123";

    [Fact]
    public void Signature_IsHmacSha1OfTheUrlThenTheSortedParameters_InBase64()
    {
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(AuthToken),
            Encoding.UTF8.GetBytes("https://example.com/voice?x=1" + "CallSidCA1" + "From+15550100" + "To+15550101")));

        var signature = TwilioSignature.Compute(AuthToken, "https://example.com/voice?x=1",
            [new("To", "+15550101"), new("CallSid", "CA1"), new("From", "+15550100")]);

        Assert.Equal(expected, signature);
    }

    [Fact]
    public async Task WithAnAuthToken_AStreamWithoutASignature_IsRefused()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.Telephony.AuthToken = AuthToken);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(TwilioCaller.StreamUri(server.Addresses[0]), TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task WithAnAuthToken_AStreamSignedForAnotherUrl_IsRefused()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o => o.Telephony.AuthToken = AuthToken);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("X-Twilio-Signature", TwilioSignature.Compute(AuthToken, "wss://elsewhere.example/media-stream"));

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(TwilioCaller.StreamUri(server.Addresses[0]), TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task WithAnAuthToken_AValidSignature_IsAccepted_WithoutThePagesAccessToken()
    {
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            o.Telephony.AuthToken = AuthToken;
            o.AccessToken = "the-pages-own-token-0123456789";
        });
        var url = TwilioCaller.StreamUri(server.Addresses[0]);

        await using var caller = await TwilioCaller.ConnectAsync(server.Addresses[0],
            o => o.SetRequestHeader("X-Twilio-Signature", TwilioSignature.Compute(AuthToken, url.ToString())));
        await caller.StartAsync();

        await caller.NextAsync("media"); // the greeting
    }

    [Fact]
    public async Task ThePublicUrl_IsWhatTheSignatureCovers_BehindAProxy()
    {
        var publicUrl = new Uri("wss://voice.example.com/media-stream");
        using var loggers = TestLogging.Create();
        await using var server = await LocalPlayground.StartAsync(loggers, o =>
        {
            o.Telephony.AuthToken = AuthToken;
            o.Telephony.PublicUrl = publicUrl;
        });

        await using var caller = await TwilioCaller.ConnectAsync(server.Addresses[0],
            o => o.SetRequestHeader("X-Twilio-Signature", TwilioSignature.Compute(AuthToken, publicUrl.ToString())));
        await caller.StartAsync();

        await caller.NextAsync("media");
    }
}
