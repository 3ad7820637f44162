using System.ClientModel;
using System.ComponentModel;
using Microsoft.Extensions.AI;
using V2V.Realtime.Client;
using V2V.Simulator;
using OpenAISdk = OpenAI.Realtime;

namespace V2V.Realtime.Extensions.AI.Tests;

/// <summary>
/// MEAI's function invocation over a realtime session (<c>AsBuilder().UseFunctionInvocation()</c>): the model's call
/// reaches the <see cref="AIFunction"/>, its result goes back, and the model answers from it; Microsoft's client and
/// ours against the local server, with the same messages in the same order.
/// </summary>
public sealed class FunctionInvocationTests
{
    private const string Key = "sk-local-test";
    private const string Model = "gpt-realtime";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFunctionCalledByTheModel_RunsInMeaisPipeline_AndTheModelAnswersFromItsResult()
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { ApiKey = Key, SpeedFactor = 0 }, Ct);
        var sdk = new OpenAISdk.RealtimeClient(new ApiKeyCredential(Key), new OpenAISdk.RealtimeClientOptions { Endpoint = new Uri(server.BaseUri, "/v1") });
        using var microsofts = new OpenAIRealtimeClient(sdk, Model).AsBuilder().UseFunctionInvocation().Build();
        using var ours = new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, ApiKey = Key, Model = Model })
            .AsIRealtimeClient(Model).AsBuilder().UseFunctionInvocation().Build();

        var (theirs, theirCalls) = await RunAsync(microsofts);
        var (mine, myCalls) = await RunAsync(ours);

        Assert.Equal(["Europe/Paris"], theirCalls);
        Assert.Equal(["Europe/Paris"], myCalls);
        Assert.Equal(theirs.Select(m => m.Type.Value), mine.Select(m => m.Type.Value));
        Assert.Contains("12:00 in Europe/Paris", Transcript(mine), StringComparison.Ordinal);
        Assert.Equal(Transcript(theirs), Transcript(mine));
    }

    // Asks for the time; reads until the answer after the function's result is done.
    private static async Task<(List<RealtimeServerMessage> Messages, List<string> Calls)> RunAsync(IRealtimeClient client)
    {
        var calls = new List<string>();
        [Description("The current time in a time zone.")]
        string GetCurrentTime(string timezone)
        {
            lock (calls)
            {
                calls.Add(timezone);
            }
            return $"12:00 in {timezone}";
        }

        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(60));
        await using var session = await client.CreateSessionAsync(new RealtimeSessionOptions
        {
            OutputModalities = ["audio"],
            Tools = [AIFunctionFactory.Create(GetCurrentTime, name: "get_current_time")],
        }, guard.Token);
        await session.SendAsync(new CreateConversationItemRealtimeClientMessage(
            new RealtimeConversationItem([new TextContent("get_current_time Europe/Paris")], role: ChatRole.User)), guard.Token);
        await session.SendAsync(new CreateResponseRealtimeClientMessage(), guard.Token);

        var messages = new List<RealtimeServerMessage>();
        var responsesDone = 0;
        await foreach (var message in session.GetStreamingResponseAsync(guard.Token))
        {
            messages.Add(message);
            if (message.Type == RealtimeServerMessageType.ResponseDone && ++responsesDone == 2)
            {
                return (messages, calls);
            }
        }
        Assert.Fail($"The session ended before the second response was done: {string.Join(", ", messages.Select(m => m.Type.Value))}");
        return (messages, calls);
    }

    private static string Transcript(List<RealtimeServerMessage> messages) => string.Concat(messages
        .OfType<OutputTextAudioRealtimeServerMessage>()
        .Where(m => m.Type == RealtimeServerMessageType.OutputAudioTranscriptionDelta)
        .Select(m => m.Text));
}
