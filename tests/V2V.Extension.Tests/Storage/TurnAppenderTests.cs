using V2V.Extension.Storage;
using V2V.Extension.Tests.Support;
using V2V.Voice.Outputs;

namespace V2V.Extension.Tests.Storage;

/// <summary>The storage appends keep the conversation's order when a question's transcript comes after its answer.</summary>
public sealed class TurnAppenderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TranscriptOutput User(string text, string itemId) => new(TranscriptRole.User, text, true, true, false, itemId);

    private static TranscriptOutput Agent(string text) => new(TranscriptRole.Assistant, text, true, true, false, "item_agent");

    private static List<string> Appended(DirectEnv env) => [.. env.Data.Select(d => $"{d.GetString("role")}: {d.GetString("text")}")];

    /// <summary>Two spoken questions (item_q1, item_q2), each answered ("Sunny.", "Mild.") before its words came.</summary>
    private static async Task TwoQuestionsAnsweredBeforeTheirWordsAsync(TurnAppender appender)
    {
        await appender.OnUserTranscriptPendingAsync(new UserTranscriptPendingOutput("item_q1", true), Ct);
        await appender.OnTranscriptAsync(Agent("Sunny."), 9, Ct);
        await appender.OnUserTranscriptPendingAsync(new UserTranscriptPendingOutput("item_q2", true), Ct);
        await appender.OnTranscriptAsync(Agent("Mild."), 9, Ct);
    }

    [Fact]
    public async Task TurnsBehindAPendingQuestion_WaitForIt_AndGoOutInTheConversationsOrder()
    {
        var env = new DirectEnv();
        var appender = new TurnAppender(env);

        await TwoQuestionsAnsweredBeforeTheirWordsAsync(appender);
        Assert.Empty(env.Data);

        await appender.OnTranscriptAsync(User("And tomorrow?", "item_q2"), 77, Ct); // the second comes first: still behind the first
        Assert.Empty(env.Data);
        await appender.OnTranscriptAsync(User("Weather today?", "item_q1"), 77, Ct);

        Assert.Equal(["user: Weather today?", "assistant: Sunny.", "user: And tomorrow?", "assistant: Mild."], Appended(env));
        Assert.Equal([77L, 9L, 77L, 9L], env.Data.Select(d => d.GetInt64("stream_id")!.Value));
    }

    [Fact]
    public async Task AQuestionWhoseTranscriptWillNotCome_HoldsNothingBack()
    {
        var env = new DirectEnv();
        var appender = new TurnAppender(env);

        await appender.OnUserTranscriptPendingAsync(new UserTranscriptPendingOutput("item_q1", true), Ct);
        await appender.OnTranscriptAsync(Agent("Sunny."), 9, Ct);
        await appender.OnUserTranscriptPendingAsync(new UserTranscriptPendingOutput("item_q1", false), Ct);
        await appender.OnTranscriptAsync(Agent("Anything else?"), 9, Ct); // nothing pending: at once

        Assert.Equal(["assistant: Sunny.", "assistant: Anything else?"], Appended(env));
    }

    [Fact]
    public async Task HeldTurnsAreBounded_TheOldestPendingQuestionGivenUp()
    {
        var env = new DirectEnv();
        var appender = new TurnAppender(env);

        await appender.OnUserTranscriptPendingAsync(new UserTranscriptPendingOutput("item_lost", true), Ct);
        for (var i = 0; i < TurnAppender.MaxHeld - 2; i++)
        {
            await appender.OnTranscriptAsync(Agent($"answer {i}"), 9, Ct);
        }
        await appender.OnUserTranscriptPendingAsync(new UserTranscriptPendingOutput("item_next", true), Ct);
        Assert.Empty(env.Data); // at the bound

        await appender.OnTranscriptAsync(Agent("one more"), 9, Ct); // one over it: the oldest question is given up

        Assert.Equal(TurnAppender.MaxHeld - 2, env.Data.Count); // what waited behind it went out, up to the next question
        await appender.OnTranscriptAsync(User("Still there?", "item_next"), 77, Ct);
        Assert.Equal(["user: Still there?", "assistant: one more"], Appended(env)[^2..]);
    }

    [Fact]
    public async Task TheSessionsEnd_AppendsWhatWasHeldBehindAQuestionWhoseWordsNeverCame()
    {
        var env = new DirectEnv();
        var appender = new TurnAppender(env);
        await TwoQuestionsAnsweredBeforeTheirWordsAsync(appender);

        await appender.FlushAsync(Ct);

        Assert.Equal(["assistant: Sunny.", "assistant: Mild."], Appended(env));
    }
}
