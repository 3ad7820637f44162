using Microsoft.Extensions.DependencyInjection;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Voice.Connection;
using V2V.Voice.Diagnostics;
using V2V.Voice.Input;
using V2V.Voice.Tests.Support;

namespace V2V.Voice.Tests.Input;

/// <summary>
/// The service refuses to commit under 100 ms of audio (<c>input_audio_buffer_commit_empty</c>): a commit is sent only
/// when that much was sent, or kept for the next connection, since the last one; and a commit takes all of it.
/// </summary>
public sealed class UncommittedInputTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task UnderAHundredMs_IsNotCommitted_AHundredIs_AndTheCommitTakesItAll()
    {
        var input = new UncommittedInput();
        var connection = new RecordingConnection();
        await input.Append(connection, new short[UncommittedInput.MinCommitSamples - 1], None);

        Assert.False(input.EnoughToCommit);
        Assert.False(await input.CommitAsync(connection, None));
        Assert.Empty(connection.Sent);

        await input.Append(connection, new short[1], None);
        Assert.True(await input.CommitAsync(connection, None));
        Assert.IsType<InputAudioBufferCommitEvent>(Assert.Single(connection.Sent));

        // Nothing since: a second turn end finds nothing to commit.
        Assert.False(await input.CommitAsync(connection, None));
        Assert.Single(connection.Sent);
    }

    [Fact]
    public async Task AudioKeptForTheNextConnection_CountsAsUncommitted()
    {
        var input = new UncommittedInput();
        input.Kept(UncommittedInput.MinCommitSamples);

        Assert.True(input.EnoughToCommit);
        var connection = new RecordingConnection();
        Assert.True(await input.CommitAsync(connection, None));
        Assert.False(input.EnoughToCommit);
    }

    [Fact]
    public async Task ClearedInput_HasNothingToCommit()
    {
        var input = new UncommittedInput();
        var connection = new RecordingConnection();
        await input.Append(connection, new short[UncommittedInput.MinCommitSamples * 2], None);

        input.Cleared();

        Assert.False(await input.CommitAsync(connection, None));
        Assert.Empty(connection.Sent);
    }

    [Fact]
    public async Task ACommitTheConnectionBrokeUnder_LeavesItsAudioUncommitted_ForTheNextConnection()
    {
        var input = new UncommittedInput();
        var broken = new RecordingConnection { BreaksUnderEvents = true };
        await input.Append(broken, new short[UncommittedInput.MinCommitSamples], None);

        await Assert.ThrowsAsync<V2V.Realtime.Client.RealtimeConnectionLostException>(async () => await input.CommitAsync(broken, None));

        Assert.True(input.EnoughToCommit);
        var next = new RecordingConnection();
        Assert.True(await input.CommitAsync(next, None));
        Assert.IsType<InputAudioBufferCommitEvent>(Assert.Single(next.Sent));
    }

    [Fact]
    public async Task AnAcknowledgementReadBeforeTheSenderWentOn_NumbersTheTurnWhenTheSenderTellsIt()
    {
        // On a busy machine the service's input_audio_buffer.committed can be read before the sender goes on from sending
        // the commit. The turn is numbered by it all the same: else the answer after it is taken for an answer to no turn,
        // the turn is kept though its answer was heard, and a new connection is sent it, commits it and answers it again.
        using var rig = new PushToTalkRig();
        var turn = rig.Turn;
        var connection = new RecordingConnection { OnSent = e => { if (e is InputAudioBufferCommitEvent) { turn.ServiceCommitted(); } } };
        var input = await rig.SaidAsync(connection);

        Assert.True(await input.CommitAsync(connection, None));
        rig.Slot.Committed(); // the sender goes on: the acknowledgement was read first
        turn.ResponseSeen("resp_1");
        turn.Answered("resp_1");
        turn.Heard("resp_1");

        var replayed = turn.Restart();
        Assert.Empty(replayed.Audio); // answered and heard: nothing of it is sent again
        Assert.Equal(0, replayed.CommittedSamples);
    }

    /// <summary>A push-to-talk user's open turn, kept by the connection slot as the session keeps it.</summary>
    private sealed class PushToTalkRig : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

        public PushToTalkRig() => Slot = new LiveClientSlot(TimeSpan.FromSeconds(5), 24000, new VoiceMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), Turn);

        public OpenTurnAudio Turn { get; } = new(24000, serverDetectsTurns: false, prefixPaddingMs: 300);

        public LiveClientSlot Slot { get; }

        /// <summary>A second of the user's question sent on <paramref name="connection"/>; returns the count of it, uncommitted.</summary>
        public async Task<UncommittedInput> SaidAsync(RecordingConnection connection)
        {
            var input = new UncommittedInput();
            var question = new short[24000];
            await input.Append(connection, question, None);
            Slot.CountSent(question);
            return input;
        }

        public void Dispose()
        {
            Turn.Dispose();
            _services.Dispose();
        }
    }
}
