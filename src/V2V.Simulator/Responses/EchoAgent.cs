using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using V2V.Simulator.Mcp;
using V2V.Simulator.Scripting;
using V2V.Simulator.Session;

namespace V2V.Simulator.Responses;

/// <summary>
/// The deterministic local agent: it answers the latest turn (not a system message). A user audio turn is spoken back as it was
/// (an echo) with a transcript that says what was heard (its duration; there is no speech recognizer); a turn of
/// silence (an idle timeout's) gets a prompt to go on; an image is described by its format and size;
/// a user text gets an answer quoting it, or a function call when it names a configured tool (an MCP call, or its
/// approval request, when it names a listed MCP tool); a function output gets an answer reporting it, the answer to an
/// MCP approval request the call or the word that it was not approved. Asked to go on from a beginning of a text's or
/// an output's answer the user heard, it says the rest. Answers are spoken (a tone as long as the words) when the
/// response's modalities include audio, as the service answers. A script, when loaded, answers first.
/// </summary>
internal sealed class EchoAgent(SimulatorScript? script)
{
    private int _scriptIndex;

    /// <summary>
    /// What the response to <paramref name="context"/> says or calls. <paramref name="mcpTools"/>: the remote MCP tools
    /// listed in the session, which a user text may name as it names a function tool (a function tool of that name wins).
    /// </summary>
    public IReadOnlyList<PlannedOutput> Plan(IReadOnlyList<ConversationItem> context, SessionConfig config, bool speaksAudio, string? responseInstructions = null, IReadOnlyList<McpOfferedTool>? mcpTools = null)
    {
        // Instructions of one response that ask for exact words (a greeting, an announcement) are obeyed:
        // the words become the transcript, spoken as a tone as long as speech of them would take.
        if (responseInstructions is not null && QuotedWords(responseInstructions) is { } words)
        {
            return [Say(words, speaksAudio)];
        }

        if (script is not null && _scriptIndex < script.Responses.Count)
        {
            var entry = script.Responses[_scriptIndex++];
            if (!entry.Echo)
            {
                return [FromScript(entry, speaksAudio)];
            }
        }

        // A system message instructs, it is not a turn to answer (a client's note that the conversation was resumed); the
        // model's own calls and requests, and a server's listed tools, are not turns either.
        var last = context.LastOrDefault(i => i.Role is not ("assistant" or "system") && i.Type is not ("function_call" or "mcp_list_tools" or "mcp_call" or "mcp_approval_request"));
        if (last is null)
        {
            return [Say("Hello from the local realtime server. Speak, and I will say it back.", speaksAudio)];
        }

        if (last.Type == "mcp_approval_response")
        {
            return [McpTurns.AnswerToApproval(last, context, speaksAudio)];
        }

        if (last.Type == "function_call_output")
        {
            // As a model does: one answer reports every output since its last words (the calls of one round, or of
            // questions asked one after another while the tools ran), in the order they came.
            var outputs = OutputsSinceTheLastAnswer(context, last);
            var report = string.Join(' ', outputs.Select(output =>
                $"The function {context.LastOrDefault(i => i.Type == "function_call" && i.CallId == output.CallId)?.Name ?? "call"} returned: {output.Output}"));
            return [Say(RestAfterTheWordsSaid(context, outputs[0], report), speaksAudio)];
        }

        var audio = last.Content.LastOrDefault(p => p.Kind == ContentKind.InputAudio);
        if (audio is not null && !audio.HoldsSound)
        {
            // Silence committed as a turn (the idle timeout's): as a model does, it prompts the user to go on.
            return [Say(IdlePrompt, speaksAudio)];
        }

        if (audio is not null)
        {
            var seconds = (audio.AudioMs / 1000.0).ToString("0.00", CultureInfo.InvariantCulture);
            var transcript = $"I heard {seconds} seconds of your speech, and here it is back.";
            return speaksAudio && audio.Audio is not null && audio.AudioSamples > 0
                ? [new PlannedAudio(audio.Audio[..audio.AudioSamples], transcript)]
                : [new PlannedText(transcript)];
        }

        var text = string.Join(' ', last.Content.Where(p => p.Text is not null).Select(p => p.Text));
        if (FindTool(text, config) is { } tool)
        {
            return [new PlannedFunctionCall(tool.Name, tool.Arguments)];
        }

        if (!ToolsAreOff(config) && McpTurns.CallNamedIn(text, mcpTools ?? []) is { } mcpCall)
        {
            return [mcpCall];
        }

        if (last.Content.Where(p => p.Image is not null).Select(p => p.Image!).ToList() is { Count: > 0 } images)
        {
            // No vision here: it says what it was shown, as a model that read the image's header would.
            var seen = string.Join(" and ", images.Select(i => $"a {i.Format} image of {i.Width} by {i.Height} pixels"));
            var said = text.Length > 0 ? $"You said: {text}, and showed me {seen}." : $"You showed me {seen}.";
            return [Say(RestAfterTheWordsSaid(context, last, said), speaksAudio)];
        }

        // As the service does: in a session that speaks, a text turn is answered with audio and its transcript.
        return [Say(RestAfterTheWordsSaid(context, last, $"You said: {text}"), speaksAudio)];
    }

    /// <summary>
    /// The function outputs up to <paramref name="last"/> (itself one) that came after the assistant's last words before
    /// it, in the order they came: what an answer to <paramref name="last"/> reports.
    /// </summary>
    private static List<ConversationItem> OutputsSinceTheLastAnswer(IReadOnlyList<ConversationItem> context, ConversationItem last) =>
        context.TakeWhile(i => i != last).Append(last).Reverse()
            .TakeWhile(i => !(i.Type == "message" && i.Role == "assistant"))
            .Where(i => i.Type == "function_call_output")
            .Reverse()
            .ToList();

    /// <summary>
    /// Asked to go on from an answer cut short (the conversation ends with a system message, and after the turn being
    /// answered come assistant words that begin its answer, as a client that lost its connection mid-answer gives them, or
    /// as its own voice says them, truncated where the listener's hearing ended): the rest of <paramref name="answer"/>, as
    /// a model asked to continue says it. Otherwise the whole answer.
    /// </summary>
    private static string RestAfterTheWordsSaid(IReadOnlyList<ConversationItem> context, ConversationItem turn, string answer)
    {
        if (context[^1].Role != "system")
        {
            return answer;
        }
        var said = string.Join(' ', context.SkipWhile(i => i != turn).Skip(1)
            .Where(i => i.Role == "assistant")
            .SelectMany(i => i.Content)
            .Select(p => (p.Text ?? p.HeardWords)?.Trim())
            .Where(t => !string.IsNullOrEmpty(t)));
        if (said.Length == 0 || said.Length >= answer.Length || !answer.StartsWith(said, StringComparison.Ordinal))
        {
            return answer;
        }
        return answer[said.Length..].TrimStart();
    }

    /// <summary>The answer to a turn of silence.</summary>
    public const string IdlePrompt = "Are you still there? Take your time, I am listening.";

    /// <summary>
    /// The quoted words after "exactly" in instructions such as: Say exactly this: "Hello!" The ask comes last (after
    /// the session's own instructions, which a client keeps in front so the agent stays who it is), so the last
    /// "exactly" that a quotation follows is the ask's: one inside the quoted words is followed by no opening quote.
    /// </summary>
    private static string? QuotedWords(string instructions)
    {
        var close = instructions.LastIndexOf('"');
        for (var exactly = instructions.LastIndexOf("exactly", StringComparison.OrdinalIgnoreCase); exactly >= 0;
             exactly = exactly == 0 ? -1 : instructions.LastIndexOf("exactly", exactly - 1, StringComparison.OrdinalIgnoreCase))
        {
            var open = instructions.IndexOf('"', exactly);
            if (open >= 0 && close > open + 1)
            {
                return instructions[(open + 1)..close];
            }
        }
        return null;
    }

    /// <summary>The transcript a user audio turn gets when input transcription is on.</summary>
    public static string DescribeUserAudio(int ms) =>
        $"[{(ms / 1000.0).ToString("0.00", CultureInfo.InvariantCulture)} s of speech]";

    private static PlannedOutput FromScript(ScriptedResponse entry, bool speaksAudio)
    {
        if (entry.FunctionName is not null)
        {
            return new PlannedFunctionCall(entry.FunctionName, entry.FunctionArguments);
        }

        var text = entry.Text ?? string.Empty;
        return !speaksAudio ? new PlannedText(text)
            : entry.AudioMs > 0 ? new PlannedAudio(Tone.Make(entry.AudioMs), text)
            : new PlannedAudio(Tone.ForText(text), text);
    }

    /// <summary>Words to say: spoken (a tone as long as the words, with them as its transcript) when the response speaks, else text.</summary>
    public static PlannedOutput Say(string text, bool speaksAudio) =>
        speaksAudio ? new PlannedAudio(Tone.ForText(text), text) : new PlannedText(text);

    /// <summary>The function tool the user's text names (see <see cref="ToolMention"/>), with the arguments it gets, or null.</summary>
    private static (string Name, string Arguments)? FindTool(string text, SessionConfig config)
    {
        if (ToolsAreOff(config))
        {
            return null;
        }

        foreach (var tool in config.Tools.OfType<JsonObject>())
        {
            if (tool["name"] is JsonValue named && named.TryGetValue<string>(out var name) && ToolMention.RestAfter(text, name) is { } rest)
            {
                return (name, ToolMention.Arguments(rest, tool["parameters"]));
            }
        }

        return null;
    }

    /// <summary><c>tool_choice: "none"</c>: the model calls no tool, of any kind.</summary>
    private static bool ToolsAreOff(SessionConfig config) =>
        config.ToolChoice is JsonValue choice && choice.TryGetValue<string>(out var setting) && setting == "none";
}
