using System.Text.Json.Nodes;
using V2V.Voice.Outputs;

namespace V2V.Cli.Talk;

/// <summary>Prints transcripts as they arrive and keeps them as JSON lines.</summary>
internal sealed class TalkReport(TextWriter console, StreamWriter? jsonLines)
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private bool _assistantLineOpen;

    public int UserTurns { get; private set; }

    public int AssistantTurns { get; private set; }

    public void Transcript(TranscriptOutput t)
    {
        if (t.Role == TranscriptRole.User)
        {
            EndAssistantLine();
            console.WriteLine($"user: {t.Text}");
            UserTurns++;
        }
        else
        {
            if (!_assistantLineOpen)
            {
                console.Write("agent: ");
                _assistantLineOpen = true;
            }
            console.Write(t.Text);
            if (t.IsFinal)
            {
                console.WriteLine(t.Interrupted ? " [interrupted]" : "");
                _assistantLineOpen = false;
                AssistantTurns++;
            }
        }
        jsonLines?.WriteLine(new JsonObject
        {
            ["time_ms"] = Math.Round(_clock.Elapsed.TotalMilliseconds),
            ["role"] = t.Role == TranscriptRole.User ? "user" : "assistant",
            ["text"] = t.Text,
            ["is_final"] = t.IsFinal,
            ["end_of_segment"] = t.EndOfSegment,
            ["interrupted"] = t.Interrupted,
        }.ToJsonString());
    }

    public void Error(ErrorOutput error)
    {
        EndAssistantLine();
        console.WriteLine($"{(error.Fatal ? "error" : "warning")}: {error.Message}");
    }

    private void EndAssistantLine()
    {
        if (_assistantLineOpen)
        {
            console.WriteLine();
            _assistantLineOpen = false;
        }
    }
}
