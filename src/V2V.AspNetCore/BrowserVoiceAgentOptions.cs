using Microsoft.Extensions.AI;

namespace V2V.AspNetCore;

/// <summary>How a <see cref="BrowserVoiceAgent"/> starts.</summary>
public sealed class BrowserVoiceAgentOptions
{
    /// <summary>The app's <c>MapVoiceAgent</c> pattern, as the page reaches it ("/voice").</summary>
    public string Endpoint { get; set; } = "/voice";

    /// <summary>Tools the agent may call that run in .NET on the page's side (a Blazor component's state, the user's screen).</summary>
    public IList<AIFunction> Tools { get; set; } = [];

    /// <summary>How long a tool may run before the model hears that it did not answer (the server's ToolTimeout also applies). Default 10 s.</summary>
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Audio buffered before the agent's voice starts playing, in ms (60): more rides over a worse network.</summary>
    public int StartBufferMs { get; set; } = 60;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Endpoint))
        {
            throw new ArgumentException($"{nameof(Endpoint)} must be the MapVoiceAgent pattern the page reaches, e.g. \"/voice\".", nameof(Endpoint));
        }
        if (Tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"{nameof(Tools)} holds two tools named '{twice.Key}'.", nameof(Tools));
        }
        if (ToolTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ToolTimeout), ToolTimeout, $"{nameof(ToolTimeout)} must be positive.");
        }
        if (StartBufferMs is < 0 or > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(StartBufferMs), StartBufferMs, $"{nameof(StartBufferMs)} must be from 0 to 2000 ms.");
        }
    }
}
