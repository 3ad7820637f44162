using System.Text.Json.Nodes;
using V2V.Simulator.Protocol;
using V2V.Simulator.Responses;

namespace V2V.Simulator.Session;

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

    /// <summary>Set under the session gate once <c>response.done</c> is sent; the streamer sends nothing after it.</summary>
    public bool Finished { get; private set; }

    public CancellationToken Token => _cts.Token;

    public Task Streaming { get; set; } = Task.CompletedTask;

    public void Finish()
    {
        Finished = true;
        _cts.Cancel();
    }

    public void Dispose() => _cts.Dispose();
}
