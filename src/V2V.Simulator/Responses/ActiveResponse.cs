using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>A response being generated. At most one per session, as with OpenAI.</summary>
internal sealed class ActiveResponse(CancellationToken session) : IDisposable
{
    private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(session);

    public string Id { get; } = EventIds.Response();

    public required IReadOnlyList<PlannedOutput> Plan { get; init; }

    /// <summary>The items the answer was based on (for usage).</summary>
    public required IReadOnlyList<ConversationItem> Context { get; init; }

    public required List<string> Modalities { get; init; }

    /// <summary><c>conversation: "none"</c>: the output items stay out of the conversation.</summary>
    public bool OutOfBand { get; init; }

    public JsonNode? Metadata { get; init; }

    public List<ConversationItem> Output { get; } = [];

    /// <summary>The item being streamed (null between items): a cancel closes it with the service's closing events.</summary>
    public ConversationItem? OpenItem { get; set; }

    public int OpenIndex { get; set; }

    /// <summary>The content part of <see cref="OpenItem"/> being streamed (null for a function call).</summary>
    public ContentPart? OpenPart { get; set; }

    /// <summary>A <c>response.cancel</c> was accepted and takes effect after the service's delay.</summary>
    public bool CancelPending { get; set; }

    /// <summary>The error code this response fails with (<c>status: failed</c>), or null.</summary>
    public string? FailWith { get; init; }

    /// <summary>How long the response waits before <c>response.created</c> (the first one's <see cref="LocalRealtimeServerFaults.FirstResponseDelay"/>).</summary>
    public TimeSpan StartDelay { get; init; }

    /// <summary><c>response.created</c> went out as the create was read (no <see cref="StartDelay"/>): the stream begins after it.</summary>
    public bool CreatedSent { get; set; }

    /// <summary>How long the response's first audio waits after its output item is announced (the first one's <see cref="LocalRealtimeServerFaults.FirstAudioDelay"/>).</summary>
    public TimeSpan AudioDelay { get; init; }

    /// <summary>The end of the input audio buffer when the response began: where the listener starts hearing it.</summary>
    public long StartInputSample { get; init; }

    /// <summary>Samples of answer audio sent so far, over every item.</summary>
    public long AudioSamplesSent { get; set; }

    /// <summary>Set under the session gate once <c>response.done</c> is sent; the streamer sends nothing after it.</summary>
    public bool Finished { get; private set; }

    public CancellationToken Token => _cts.Token;

    public Task Streaming { get; set; } = Task.CompletedTask;

    /// <summary>Marks the response ended and stops its pacing; safe after the streamer has already disposed it.</summary>
    public void Finish()
    {
        Finished = true;
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The streamer ended on its own (socket gone) and released the source: nothing left to stop.
        }
    }

    public void Dispose() => _cts.Dispose();
}
