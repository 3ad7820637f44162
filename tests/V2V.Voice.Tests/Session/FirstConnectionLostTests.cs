using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// The first connection lost while it is being configured (the service dropped it right after <c>session.created</c>,
/// without a close handshake), by the local realtime server on loopback: a network blip at the start is tried again,
/// as a refused handshake is, not a failed start.
/// </summary>
public sealed class FirstConnectionLostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFirstConnectionDroppedWhileBeingConfigured_IsTriedAgain_AndTheSessionStarts()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            SpeedFactor = 0,
            Faults = { CloseAfterEvents = 1, AbortInsteadOfClose = true, CloseConnections = 1 },
        }, Ct);

        await using var session = await VoiceSession.StartAsync(new VoiceSessionOptions
        {
            Connection = new RealtimeClientOptions { BaseUri = server.BaseUri, Model = "gpt-realtime" },
            AudioOut = false,
            FirstConnectRetries = 2,
            ReconnectDelay = TimeSpan.FromMilliseconds(10),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(50),
            LoggerFactory = loggerFactory,
        }, Ct);

        // Started on the second connection, the first one's loss said once as the retry it caused.
        var retry = Assert.Single(logs.Lines, l => l.Contains("Connecting failed (attempt 1 of 3)", StringComparison.Ordinal));
        // In the words of whichever side saw the loss first (the reader: closed without a close handshake; the writer: reset).
        Assert.Contains("connection", retry[retry.IndexOf("trying again", StringComparison.Ordinal)..], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("HTTP", retry, StringComparison.Ordinal);
        // The second connection is the one the session runs on. (On a busy machine the abort can land before the client
        // has read the handshake's answer, which the reset then discards: the first attempt is then a handshake that
        // failed, retried as before. The drop after the handshake, the case this test is for, is the usual one.)
        Assert.Contains(logs.Lines, l => l.Contains("Connected to", StringComparison.Ordinal));
    }
}
