using Microsoft.Extensions.Logging.Abstractions;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Voice.Configuration;
using V2V.Voice.Outputs;
using V2V.Voice.Session;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// <see cref="VoiceSession.UpdateInstructionsAsync"/>: a hand-off to another role reaches the service at once, and every
/// later connection is configured with it, not with the instructions the session started with.
/// </summary>
public sealed class InstructionsUpdateTests
{
    [Fact]
    public async Task NewInstructions_ReachTheServiceAtOnce_AndConfigureTheNextConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await SessionHarness.StartAsync(o =>
        {
            o.Instructions = "You are the front desk. Speak {language}.";
            o.Language = "fr";
            o.AudioOut = false;
        });
        await harness.WaitForSentAsync("session.update");

        // The service's answer to the update (session.updated) is the last event of this connection: it is then lost.
        harness.LoseTheConnectionAtTheServersNextEvent();
        await harness.Session.UpdateInstructionsAsync("You are the billing desk. Speak {language}.", ct);
        await harness.WaitForAsync(o => o.OfType<StateOutput>().Count(s => s.State == VoiceSessionState.Connected) >= 2, "the next connection");

        // The server's record lags the client's sends a little: the new connection's configuration may still be on its way.
        var updates = await harness.WaitForSentAsync("session.update", sent => sent.Count >= 3, "the new connection's configuration");
        var said = updates.Select(u => u.GetProperty("session").TryGetProperty("instructions", out var i) ? i.GetString() : null).ToList();
        Assert.Equal(["You are the front desk. Speak fr.", "You are the billing desk. Speak fr.", "You are the billing desk. Speak fr."], said);
        // The last is the new connection's whole configuration, not a second partial update.
        Assert.True(updates[^1].GetProperty("session").TryGetProperty("output_modalities", out _));
        Assert.False(updates[1].GetProperty("session").TryGetProperty("output_modalities", out _));
        Assert.Empty(harness.Outputs.OfType<ErrorOutput>());
    }

    [Fact]
    public async Task EmptyInstructions_AreRefused_NamingTheArgument()
    {
        await using var harness = await SessionHarness.StartAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => harness.Session.UpdateInstructionsAsync(" ", TestContext.Current.CancellationToken));

        Assert.Equal("instructions", ex.ParamName);
    }

    [Fact]
    public async Task AChangeWhileANewConnectionIsConfigured_IsToldAgain_AndOnlyThen()
    {
        var options = new VoiceSessionOptions { Instructions = "You are the front desk." };
        var configurator = new SessionConfigurator(options, new ServerLink(NullLogger.Instance));
        var renewed = new RecordingConnection();
        var ct = TestContext.Current.CancellationToken;
        Assert.False(configurator.ChangedSinceConfigured);

        // The renewal's connection is configured (the connection stage's thread) ...
        await configurator.SendAsync(renewed, [], ct);
        // ... and then, on the actor, before it is the live one: the new instructions go to the old connection only.
        configurator.ReplaceInstructions("You are the billing desk.");
        var toTheOldOne = configurator.Change([], instructionsChanged: true);

        Assert.Equal("You are the billing desk.", toTheOldOne.Session.Instructions);
        Assert.True(configurator.ChangedSinceConfigured);
        Assert.Equal("You are the front desk.", Assert.IsType<SessionUpdateEvent>(Assert.Single(renewed.Sent)).Session.Instructions);
        // Live, it is told what it missed (telling does not count as another change).
        Assert.Equal("You are the billing desk.", configurator.Missed([]).Session.Instructions);
        Assert.True(configurator.ChangedSinceConfigured);
        // The next configuration has them, and nothing is owed after it.
        await configurator.SendAsync(renewed, [], ct);
        Assert.False(configurator.ChangedSinceConfigured);
        Assert.Equal("You are the billing desk.", Assert.IsType<SessionUpdateEvent>(renewed.Sent[^1]).Session.Instructions);
    }
}
