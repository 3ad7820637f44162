using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using V2V.Realtime.Client;
using V2V.Testing;
using V2V.Voice.Outputs;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// A voice session on a user's device, which holds no API key: each connection's key is an ephemeral one its app's
/// server makes (here: the local realtime server, which makes and checks them as the service does).
/// </summary>
public sealed class ClientSecretSessionTests
{
    private const string ServerKey = "sk-server-KEY-THAT-MUST-NEVER-LEAVE-THE-SERVER-0002";

    [Fact]
    public async Task AReconnectAfterTheKeyExpired_AsksForANewKey_AndTheConversationGoesOn()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var minted = new List<string>();
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var harness = await SessionHarness.StartAsync(
            o =>
            {
                o.AudioOut = false;
                o.LoggerFactory = loggerFactory;
                o.Connection.LoggerFactory = loggerFactory;
                // The app's server side: it holds the key and makes a short-lived one for each connection.
                var minter = new RealtimeClient(new RealtimeClientOptions { BaseUri = o.Connection.BaseUri, Model = "gpt-realtime", ApiKey = ServerKey });
                o.Connection.ApiKeyProvider = async ct =>
                {
                    var secret = await minter.CreateClientSecretAsync(new RealtimeClientSecretOptions { ExpiresAfter = TimeSpan.FromSeconds(10) }, ct);
                    lock (minted)
                    {
                        minted.Add(secret.Value);
                    }
                    return secret.Value;
                };
            },
            s =>
            {
                s.ApiKey = ServerKey;
                s.TimeProvider = clock;
                s.Faults.CloseAfterEvents = 14;
                s.Faults.CloseConnections = 1;
            });

        clock.Advance(TimeSpan.FromSeconds(11)); // the first connection's key has expired; its session goes on
        await harness.Session.SendTextAsync("remember the word pineapple", TestContext.Current.CancellationToken);

        var outputs = await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "a reconnect");
        await harness.WaitForAsync(o => o.OfType<TranscriptOutput>().Any(t => t is { Role: TranscriptRole.Assistant, IsFinal: true }), "an answer");

        Assert.DoesNotContain(harness.Outputs, o => o is ErrorOutput);
        string[] keys;
        lock (minted)
        {
            keys = [.. minted];
        }
        Assert.True(keys.Length >= 2, $"one key per connection: {keys.Length} made");
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => keys.Any(k => line.Contains(k, StringComparison.Ordinal)) || line.Contains(ServerKey, StringComparison.Ordinal));
        Assert.Contains(outputs, o => o is StateOutput { State: VoiceSessionState.Reconnecting });
    }
}
