using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Testing;
using OpenAISdk = OpenAI.Realtime;

namespace V2V.Realtime.Extensions.AI.Tests;

/// <summary>
/// One script at the level of Microsoft.Extensions.AI, run by Microsoft's <c>OpenAIRealtimeClient</c> (over the
/// OpenAI SDK) and by ours against the local realtime server: open a session, give it instructions, say something
/// (a typed question, or a spoken clip committed by hand), ask for a response and read until it is done. Both see the same conversation, and ours runs inside MEAI's
/// pipeline (<c>AsBuilder().UseLogging()</c>).
/// </summary>
public sealed class SameConversationTests
{
    private const string Key = "sk-local-test";
    private const string Model = "gpt-realtime";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATypedQuestion_MicrosoftsClientAndOursSeeTheSameConversation() =>
        Assert.Equal("You said: What is the capital of France?", await AssertSameConversationAsync(
            new RealtimeSessionOptions { Instructions = "You are a helpful assistant. Answer briefly.", OutputModalities = ["audio"] },
            async (session, ct) =>
            {
                await session.SendAsync(new CreateConversationItemRealtimeClientMessage(
                    new RealtimeConversationItem([new TextContent("What is the capital of France?")], role: ChatRole.User)), ct);
                await session.SendAsync(new CreateResponseRealtimeClientMessage(), ct);
            }));

    [Fact]
    public async Task ASpokenClip_MicrosoftsClientAndOursSeeTheSameConversation()
    {
        var transcript = await AssertSameConversationAsync(
            new RealtimeSessionOptions
            {
                Instructions = "You are a helpful assistant. Answer briefly.",
                OutputModalities = ["audio"],
                InputAudioFormat = new RealtimeAudioFormat("audio/pcm", 24000),
                // The turn is ended by the commit below, not by the server's voice activity detection.
                VoiceActivityDetection = new VoiceActivityDetectionOptions { Enabled = false },
            },
            async (session, ct) =>
            {
                await session.SendAsync(new InputAudioBufferAppendRealtimeClientMessage(new DataContent(Clip, "audio/pcm")), ct);
                await session.SendAsync(new InputAudioBufferCommitRealtimeClientMessage(), ct);
                await session.SendAsync(new CreateResponseRealtimeClientMessage(), ct);
            });

        // The local server answers a clip by its length: the whole clip arrived as one user turn.
        Assert.StartsWith("I heard", transcript, StringComparison.Ordinal);
    }

    private static readonly byte[] Clip = Speech.Pcm16("What is the capital of France?", 24000, 1);

    // Runs the script through both clients, checks they saw the same conversation, and returns the answer's transcript.
    private static async Task<string> AssertSameConversationAsync(RealtimeSessionOptions update, Func<IRealtimeClientSession, CancellationToken, Task> say)
    {
        await using var server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { ApiKey = Key, SpeedFactor = 0 }, Ct);
        using var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

        var sdk = new OpenAISdk.RealtimeClient(new ApiKeyCredential(Key), new OpenAISdk.RealtimeClientOptions { Endpoint = new Uri(server.BaseUri, "/v1") });
        using var microsofts = new OpenAIRealtimeClient(sdk, Model);
        using var ours = new RealtimeClient(new RealtimeClientOptions { BaseUri = server.BaseUri, ApiKey = Key, Model = Model })
            .AsIRealtimeClient(Model)
            .AsBuilder()
            .UseLogging(loggerFactory)
            .Build();

        var theirs = await RunScriptAsync(microsofts, update, say);
        var mine = await RunScriptAsync(ours, update, say);

        Assert.Equal(Kinds(theirs), Kinds(mine));
        Assert.Equal(RealtimeServerMessageType.ResponseCreated, mine.First(m => m.Type != RealtimeServerMessageType.RawContentOnly
            && m.Type != RealtimeServerMessageType.ConversationItemAdded && m.Type != RealtimeServerMessageType.ConversationItemDone).Type);
        foreach (var conversation in new[] { theirs, mine })
        {
            Assert.NotEmpty(Transcript(conversation));
            Assert.Contains(conversation, m => m is OutputTextAudioRealtimeServerMessage { Audio.Length: > 0 } a && a.Type == RealtimeServerMessageType.OutputAudioDelta);
            Assert.DoesNotContain(conversation, m => m is ErrorRealtimeServerMessage);
        }
        Assert.Equal(Transcript(theirs), Transcript(mine));
        // Ours ran inside MEAI's pipeline: its logging client saw the sends.
        Assert.Contains(logs.Lines, line => line.Contains("SendAsync invoked", StringComparison.Ordinal));
        return Transcript(mine);
    }

    // The script both clients run; the messages the session yields until the response is done.
    private static async Task<List<RealtimeServerMessage>> RunScriptAsync(IRealtimeClient client, RealtimeSessionOptions update, Func<IRealtimeClientSession, CancellationToken, Task> say)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(60));
        await using var session = await client.CreateSessionAsync(null, guard.Token);
        await session.SendAsync(new SessionUpdateRealtimeClientMessage(update), guard.Token);
        await say(session, guard.Token);

        var messages = new List<RealtimeServerMessage>();
        await foreach (var message in session.GetStreamingResponseAsync(guard.Token))
        {
            messages.Add(message);
            if (message.Type == RealtimeServerMessageType.ResponseDone)
            {
                return messages;
            }
        }
        Assert.Fail($"The session ended before the response was done; it had sent: {string.Join(", ", Kinds(messages))}");
        return messages;
    }

    // The kinds in order, every delta counted: the local server cuts a response the same way each time (its chunk
    // schedule is fixed), so the same conversation is the same sequence.
    private static List<string> Kinds(List<RealtimeServerMessage> messages) => [.. messages.Select(m => m.Type.Value)];

    private static string Transcript(List<RealtimeServerMessage> messages) => string.Concat(messages
        .OfType<OutputTextAudioRealtimeServerMessage>()
        .Where(m => m.Type == RealtimeServerMessageType.OutputAudioTranscriptionDelta)
        .Select(m => m.Text));
}
