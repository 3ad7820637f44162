using Microsoft.Extensions.AI;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol.ClientEvents;
using V2V.Realtime.Protocol.Models;
using V2V.Realtime.Protocol.ServerEvents;
using V2V.Voice.Session;

namespace V2V.Voice.Configuration;

/// <summary>
/// The configuration of each connection (<c>session.update</c>) and the service's answer to it. At the start the
/// answer is awaited and a refusal thrown (<see cref="VoiceSessionConfigurationException"/>); once the first one was
/// accepted, a later refusal (a reconnect's) ends the session. Owns the update's event id, whether the configuration
/// was confirmed, the instructions of now (the options', until replaced) and whether what a connection was configured
/// with has changed since (a tool registered, instructions replaced while a new connection was being configured).
/// </summary>
internal sealed class SessionConfigurator(VoiceSessionOptions options, ServerLink link)
{
    private readonly ClientEventIds _eventIds = new();
    private readonly ConfigureAnswer _answer = new();
    private int _confirmed;
    private volatile string? _instructions = options.Instructions;
    private int _changes;
    private int _configuredWith;

    /// <summary>The first connection's configuration was accepted: a refusal now ends the session.</summary>
    public bool Confirmed => Volatile.Read(ref _confirmed) == 1;

    /// <summary>
    /// The instructions or the tools changed after the last connection was configured (read before its update was made):
    /// that connection must be told them (<see cref="Missed"/>) once it is the live one.
    /// </summary>
    public bool ChangedSinceConfigured => Volatile.Read(ref _changes) != Volatile.Read(ref _configuredWith);

    /// <summary>Sends the configuration to a new connection; its event id is how a refusal is recognised.</summary>
    public async Task SendAsync(IRealtimeConnection client, IReadOnlyList<AIFunctionDeclaration> tools, CancellationToken ct)
    {
        Volatile.Write(ref _configuredWith, Volatile.Read(ref _changes)); // before what it reads: a change after it is told again
        var update = new SessionUpdateEvent { Session = SessionConfiguration.Build(options, _instructions, tools), EventId = _eventIds.Next("configure") };
        _answer.Sent(update.EventId!);
        await client.SendAsync(update, ct).ConfigureAwait(false);
    }

    /// <summary>On the actor: the agent's instructions from now on (placeholders as in <see cref="VoiceSessionOptions.Instructions"/>).</summary>
    public void ReplaceInstructions(string instructions) => _instructions = instructions;

    /// <summary>The session's instructions of now, as a connection is given them (placeholders replaced), or null when none.</summary>
    public string? CurrentInstructions(IReadOnlyCollection<AIFunctionDeclaration> tools) => SessionConfiguration.Instructions(options, _instructions, tools);

    /// <summary>
    /// On the actor: the tools changed (<paramref name="instructionsChanged"/>: the instructions too): the update that
    /// tells the live connection (the instructions only when they changed or list the tools, <c>{tools}</c>: the service
    /// keeps what it was given). A connection configured before the change is told it when it goes live.
    /// </summary>
    public SessionUpdateEvent Change(IReadOnlyList<AIFunctionDeclaration> tools, bool instructionsChanged)
    {
        Interlocked.Increment(ref _changes);
        return Update(tools, instructionsChanged);
    }

    /// <summary>The update that tells a connection configured before the last change what it missed (the instructions and the tools).</summary>
    public SessionUpdateEvent Missed(IReadOnlyList<AIFunctionDeclaration> tools) => Update(tools, instructionsToo: true);

    private SessionUpdateEvent Update(IReadOnlyList<AIFunctionDeclaration> tools, bool instructionsToo)
    {
        var instructions = _instructions;
        var sendInstructions = instructionsToo || instructions?.Contains("{tools}", StringComparison.Ordinal) == true;
        return new SessionUpdateEvent
        {
            Session = new RealtimeSession
            {
                Instructions = sendInstructions ? SessionConfiguration.Instructions(options, instructions, tools) : null,
                Tools = SessionConfiguration.Tools(tools, options.McpServers),
                ToolChoice = SessionConfiguration.AutoToolChoice,
            },
        };
    }

    /// <summary>session.updated: the first one of a connection answers its configuration.</summary>
    public void Accepted() => _answer.Accepted();

    /// <summary>True when <paramref name="error"/> refuses the configuration.</summary>
    public bool IsRefusal(ErrorEvent error) => _answer.IsRefusal(error);

    /// <summary>
    /// After the first connection is configured: waits (bounded by the connect timeout, wall-clock: a guard against a
    /// silent service) for the service to accept the update, and throws its refusal. A connection that ends first is
    /// left to the connection stage: the reconnect's update is checked like any other.
    /// </summary>
    public async Task WaitForAnswerAsync(CancellationToken ct)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(ct);
        guard.CancelAfter(options.Connection.ConnectTimeout);
        var ended = link.Connection.LiveEnded ?? Task.Delay(Timeout.Infinite, guard.Token);
        var answer = _answer.Answer;
        try
        {
            await Task.WhenAny(answer, ended).WaitAsync(guard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The realtime service did not answer the session configuration (session.update) within {options.Connection.ConnectTimeout.TotalSeconds:0} s "
                + $"({nameof(RealtimeClientOptions.ConnectTimeout)}).");
        }
        if (answer.IsCompleted && await answer.ConfigureAwait(false) is { } refused)
        {
            throw ConfigurationRefusal.Exception(refused);
        }
        Volatile.Write(ref _confirmed, 1);
    }
}
