namespace V2V.Simulator.Scripting;

/// <summary>One scripted response: what the server answers to one <c>response.create</c>, in turn.</summary>
public sealed class ScriptedResponse
{
    /// <summary>The answer's text: the transcript of its audio, or the text itself when no audio is spoken.</summary>
    public string? Text { get; init; }

    /// <summary>
    /// When the session outputs audio, the answer is spoken: a 440 Hz tone of this duration (the server has no voice
    /// of its own; 0: as long as speaking the text would take) with <see cref="Text"/> as its transcript.
    /// </summary>
    public int AudioMs { get; init; }

    /// <summary>Answer as the echo agent would (speak back the user's last audio turn).</summary>
    public bool Echo { get; init; }

    /// <summary>Call this function instead of answering.</summary>
    public string? FunctionName { get; init; }

    /// <summary>Arguments of the function call, a JSON text (<c>{}</c> by default).</summary>
    public string FunctionArguments { get; init; } = "{}";
}
