using System.CommandLine;
using V2V.Cli.Talk;
using V2V.Realtime.Client;
using V2V.Voice;

namespace V2V.Cli.Commands;

/// <summary><c>v2v talk</c>: a WAV in as the user's turns; the agent's answers printed, and written as WAV and JSON lines.</summary>
internal static class TalkCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "The user's side: a WAV file of any rate (8-48 kHz) and channel count.", Required = true };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the agent's voice (WAV, pcm16 mono): what a listener heard, on the input's timeline (silence where the agent was silent, nothing of what a barge-in cut)." };
        var transcript = new Option<FileInfo?>("--transcript") { Description = "Where to write the transcripts (JSON lines)." };
        var turns = new Option<string>("--turns") { Description = "Who ends turns: server (server VAD), semantic, local (Silero VAD), or manual (the whole file is one turn).", DefaultValueFactory = _ => "server" };
        var fast = new Option<bool>("--fast") { Description = "Send the file as fast as possible instead of in real time (one-turn files). Nothing is played at a listener's pace then: all the answer that arrives counts as heard, and the answer WAV is the answers back to back, not on the input's timeline." };
        var rate = new Option<int>("--output-rate") { Description = "Sample rate of the answer WAV (8000-48000).", DefaultValueFactory = _ => 24000 };
        var voice = new Option<string?>("--voice") { Description = "The agent's voice, e.g. alloy, marin." };
        var instructions = new Option<string?>("--instructions") { Description = "System instructions." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the answers after the input is sent.", DefaultValueFactory = _ => 120 };
        var connection = new ConnectionOptions();

        var command = new Command("talk", "Talk to the agent with a WAV file: prints the transcripts as they arrive and writes the answer audio. Exit codes: " + TalkExitCode.Summary + ".")
        {
            input, output, transcript, turns, fast, rate, voice, instructions, timeout,
        };
        connection.AddTo(command);
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            TalkSettings settings;
            try
            {
                var (options, useLocal) = connection.Read(result);
                var turnMode = result.GetValue(turns) switch
                {
                    "server" => TurnMode.ServerVad,
                    "semantic" => TurnMode.SemanticVad,
                    "local" => TurnMode.LocalVad,
                    "manual" => TurnMode.Manual,
                    var other => throw new UsageException($"--turns must be server, semantic, local or manual, not \"{other}\"."),
                };
                var outputRate = result.GetValue(rate);
                if (outputRate is < 8000 or > 48000)
                {
                    throw new UsageException($"--output-rate must be 8000 to 48000, not {outputRate}.");
                }
                settings = new TalkSettings(result.GetValue(input)!, result.GetValue(output), result.GetValue(transcript), options, useLocal,
                    turnMode, result.GetValue(fast), outputRate, result.GetValue(voice), result.GetValue(instructions), TimeSpan.FromSeconds(result.GetValue(timeout)),
                    connection.KeySourceOf(result));
            }
            catch (UsageException ex)
            {
                Console.WriteLine($"v2v talk: {ex.Message}");
                return TalkExitCode.BadInput;
            }
            return await TalkRunner.RunAsync(settings, Console.Out, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
