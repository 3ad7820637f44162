using Microsoft.Extensions.Logging;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using V2V.Playground.Telephony;
using V2V.Playground.Tests.Support;
using V2V.Testing;

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

    [Fact]
    public async Task WithoutAnAuthToken_OnAllAddresses_ACallerFromAnotherAddress_IsRefusedAndLogged_ALoopbackCallerIsTaken()
    {
        var other = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (other is null)
        {
            Assert.Skip("this machine has no IPv4 address but loopback: no caller can come from elsewhere");
        }
        var lines = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(lines));
        var options = new PlaygroundOptions { LoggerFactory = loggers, AccessToken = "the-pages-own-token-0123456789" };
        options.Urls.Add("http://0.0.0.0:0");
        options.Environment = name => name is "OPENAI_API_KEY" or TelephonyOptions.AuthTokenVariable ? null : Environment.GetEnvironmentVariable(name);
        await using var server = await PlaygroundServer.StartAsync(options, TestContext.Current.CancellationToken);
        // The machine's own address as the destination: the connection's source is that address, not loopback.
        var fromElsewhere = new UriBuilder(TwilioCaller.StreamUri(server.Addresses[0])) { Host = other.ToString() }.Uri;
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(fromElsewhere, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.Contains(lines.Lines, l => l.Contains("Refused a media stream", StringComparison.Ordinal) && l.Contains(other.ToString(), StringComparison.Ordinal)
            && l.Contains(TelephonyOptions.AuthTokenVariable, StringComparison.Ordinal));
        await using var local = await TwilioCaller.ConnectAsync(server.Addresses[0]);
        await local.StartAsync();
        await local.NextAsync("media"); // the greeting
    }
}
