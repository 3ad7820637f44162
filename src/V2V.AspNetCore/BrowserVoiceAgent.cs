using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.JSInterop;
using V2V.Voice.Tools;

namespace V2V.AspNetCore;

/// <summary>
/// The browser client (voice-agent.js) driven from .NET in the page: a Blazor component rendered on the server starts
/// a voice agent with the user's microphone and speakers, reads its transcript and state as .NET events, sends typed
/// turns, and gives it tools written in C# (the agent calls them in the page, they run here). The endpoint is a
/// <c>MapVoiceAgent</c> of the app's. Start it from a user's click: browsers start audio after a gesture.
/// </summary>
public sealed class BrowserVoiceAgent : IAsyncDisposable
{
    private readonly BrowserVoiceAgentOptions _options;
    private readonly Dictionary<string, AIFunction> _tools;
    private readonly List<BrowserTranscriptLine> _lines = [];
    private DotNetObjectReference<BrowserVoiceAgent>? _self;
    private IJSObjectReference? _module;
    private IJSObjectReference? _agent;
    private bool _ended;

    /// <summary>An agent to start (<see cref="StartAsync"/>) once its events have their handlers.</summary>
    /// <exception cref="ArgumentException">An option is at fault (named).</exception>
    public BrowserVoiceAgent(BrowserVoiceAgentOptions? options = null)
    {
        _options = options ?? new BrowserVoiceAgentOptions();
        _options.Validate();
        _tools = _options.Tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>idle, starting, listening, speaking, reconnecting, stopping, stopped, failed (as voice-agent.js says).</summary>
    public string State { get; private set; } = "idle";

    /// <summary>The fatal error that ended the agent, or null.</summary>
    public BrowserVoiceAgentError? Error { get; private set; }

    /// <summary>One line per turn, in speaking order (a line's newer state replaces its older).</summary>
    public IReadOnlyList<BrowserTranscriptLine> Transcript
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>A line of the transcript came or changed.</summary>
    public event Action<BrowserTranscriptLine>? TranscriptChanged;

    /// <summary>The state changed (with the error that ended the agent, for <c>failed</c>).</summary>
    public event Action<string, BrowserVoiceAgentError?>? StateChanged;

    /// <summary>An error the agent reported after its start (a fatal one also ends it).</summary>
    public event Action<BrowserVoiceAgentError>? ErrorReported;

    /// <summary>
    /// Opens the microphone and the session in the page (<paramref name="js"/>: the component's); returns once the agent
    /// listens. Once per agent. Call it from a user's click: browsers start audio after a gesture.
    /// </summary>
    /// <exception cref="BrowserVoiceAgentException">The agent could not start (<see cref="BrowserVoiceAgentException.Code"/>: microphone_denied, full, ...).</exception>
    public async Task StartAsync(IJSRuntime js, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(js);
        if (_self is not null)
        {
            throw new InvalidOperationException("A BrowserVoiceAgent starts once: make a new one.");
        }
        _self = DotNetObjectReference.Create(this);
        try
        {
            _module = await js.InvokeAsync<IJSObjectReference>("import", cancellationToken, $"{_options.Endpoint.TrimEnd('/')}/voice-agent-dotnet.js").ConfigureAwait(false);
            _agent = await _module.InvokeAsync<IJSObjectReference>("start", cancellationToken, _self, new
            {
                url = _options.Endpoint,
                startBufferMs = _options.StartBufferMs,
                tools = _options.Tools.Select(t => new { name = t.Name, description = t.Description, parameters = t.JsonSchema }),
            }).ConfigureAwait(false);
        }
        catch (JSException failed)
        {
            _ended = true;
            throw BrowserVoiceAgentException.From(failed);
        }
    }

    /// <summary>A typed user turn (1-4000 characters); an answer in progress is interrupted. False if the session is not live.</summary>
    public ValueTask<bool> SendTextAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(text.Length, 4000, nameof(text));
        return _agent is null || _ended ? ValueTask.FromResult(false) : _agent.InvokeAsync<bool>("sendText", cancellationToken, text);
    }

    /// <summary>Stops the agent now (a barge-in). False if the session is not live.</summary>
    public ValueTask<bool> InterruptAsync(CancellationToken cancellationToken = default) =>
        _agent is null || _ended ? ValueTask.FromResult(false) : _agent.InvokeAsync<bool>("interrupt", cancellationToken);

    /// <summary>Ends the session; returns once the page's microphone, audio and socket are released.</summary>
    public async ValueTask StopAsync(CancellationToken cancellationToken = default)
    {
        if (_agent is not null)
        {
            await _agent.InvokeVoidAsync("stop", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the agent (if the page is still there) and lets go of its references.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_ended)
            {
                await StopAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is JSDisconnectedException or JSException or TaskCanceledException or ObjectDisposedException)
        {
            // The page is gone (its circuit ended): so is its agent.
        }
        foreach (var reference in new[] { _agent, _module })
        {
            try
            {
                if (reference is not null)
                {
                    await reference.DisposeAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is JSDisconnectedException or JSException or TaskCanceledException or ObjectDisposedException)
            {
            }
        }
        _self?.Dispose();
    }

    /// <summary>From the page: a line came or changed.</summary>
    [JSInvokable]
    public void OnTranscript(BrowserTranscriptLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_lines)
        {
            var at = _lines.FindIndex(l => l.Id == line.Id);
            if (line.Removed)
            {
                if (at >= 0)
                {
                    _lines.RemoveAt(at);
                }
            }
            else if (at >= 0)
            {
                _lines[at] = line;
            }
            else
            {
                _lines.Add(line);
            }
        }
        TranscriptChanged?.Invoke(line);
    }

    /// <summary>From the page: the state changed.</summary>
    [JSInvokable]
    public void OnStateChange(string state, BrowserVoiceAgentError? error)
    {
        State = state;
        _ended |= state is "stopped" or "failed";
        Error ??= state == "failed" ? error : null;
        StateChanged?.Invoke(state, error);
    }

    /// <summary>From the page: an error after the start.</summary>
    [JSInvokable]
    public void OnError(BrowserVoiceAgentError error) => ErrorReported?.Invoke(error);

    /// <summary>From the page: the agent calls one of the .NET tools; the output the model reads.</summary>
    [JSInvokable]
    public Task<string> RunToolAsync(string name, string argumentsJson) =>
        ToolCalls.RunAsync(_tools.GetValueOrDefault(name), name, argumentsJson, _options.ToolTimeout);
}
