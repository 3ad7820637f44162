using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using V2V.Realtime.Protocol;
using V2V.Realtime.Protocol.Models;

namespace V2V.Realtime.Extensions.AI;

/// <summary>MEAI's session options as our session configuration, and the tools and tool mode they carry.</summary>
internal static class SessionOptionsMapper
{
    public static RealtimeSession ToSession(RealtimeSessionOptions options, RealtimeDialect dialect)
    {
        if (options.SessionKind == RealtimeSessionKind.Transcription)
        {
            // A transcription session is a different event (transcription_session.update) with its own shape.
            throw new NotSupportedException("RealtimeSessionOptions.SessionKind is Transcription; this client configures conversation sessions only: leave SessionKind as Conversation.");
        }
        var input = ToInput(options);
        var output = options.OutputAudioFormat is null && options.Voice is null ? null : new RealtimeAudioOutput
        {
            Format = ToFormat(options.OutputAudioFormat),
            Voice = options.Voice is { } voice ? new RealtimeVoice(voice) : null,
        };
        return new RealtimeSession
        {
            Model = options.Model,
            Instructions = options.Instructions,
            OutputModalities = ToModalities(options.OutputModalities, dialect),
            MaxOutputTokens = options.MaxOutputTokens is int max ? new RealtimeTokenLimit(max) : null,
            Audio = input is null && output is null ? null : new RealtimeSessionAudio { Input = input, Output = output },
            Tools = options.Tools is { } tools ? ToTools(tools) : null,
            ToolChoice = ToToolChoice(options.ToolMode),
        };
    }

    /// <summary>
    /// The output modalities in the dialect's form: beta servers expect text beside audio; GA takes one, and refuses
    /// both ("not possible to request both"), so text beside audio (a beta habit) becomes audio alone, whose transcript
    /// is the text.
    /// </summary>
    public static List<string>? ToModalities(IEnumerable<string>? modalities, RealtimeDialect dialect)
    {
        if (modalities is null)
        {
            return null;
        }
        List<string> asked = [.. modalities];
        var (audio, text) = (asked.Contains("audio"), asked.Contains("text"));
        return dialect == RealtimeDialect.Beta
            ? (audio && !text ? ["text", .. asked] : asked)
            : (audio && text ? ["audio"] : asked);
    }

    private static RealtimeAudioInput? ToInput(RealtimeSessionOptions options)
    {
        if (options.InputAudioFormat is null && options.TranscriptionOptions is null && options.VoiceActivityDetection is null)
        {
            return null;
        }
        return new RealtimeAudioInput
        {
            Format = ToFormat(options.InputAudioFormat),
            Transcription = options.TranscriptionOptions is { } transcription
                ? new RealtimeTranscription { Model = transcription.ModelId, Language = transcription.SpeechLanguage, Prompt = transcription.Prompt }
                : null,
            TurnDetection = options.VoiceActivityDetection switch
            {
                null => null,
                { Enabled: false } => RealtimeTurnDetection.Disabled,
                { } vad => new RealtimeTurnDetection { Type = "server_vad", InterruptResponse = vad.AllowInterruption },
            },
        };
    }

    /// <summary>MEAI's media type and rate as our format; pcm16 is the only one with a rate.</summary>
    public static V2V.Realtime.Protocol.Models.RealtimeAudioFormat? ToFormat(Microsoft.Extensions.AI.RealtimeAudioFormat? format) => format is null ? null
        : new V2V.Realtime.Protocol.Models.RealtimeAudioFormat
        {
            Type = format.MediaType,
            Rate = format.MediaType == V2V.Realtime.Protocol.Models.RealtimeAudioFormat.PcmType ? format.SampleRate : null,
        };

    /// <summary>
    /// The tools: each function with the JSON schema MEAI derived for its parameters, each <see cref="HostedMcpServerTool"/>
    /// as the service's <c>mcp</c> tool (the service lists and calls its tools; GA only).
    /// </summary>
    public static List<RealtimeTool> ToTools(IEnumerable<AITool> tools)
    {
        var result = new List<RealtimeTool>();
        foreach (var tool in tools)
        {
            result.Add(tool switch
            {
                AIFunctionDeclaration function => new RealtimeTool { Name = function.Name, Description = function.Description, Parameters = function.JsonSchema },
                HostedMcpServerTool mcp => ToMcpTool(mcp),
                _ => throw new NotSupportedException($"Tool '{tool.Name}' is a {tool.GetType().Name}; the realtime service takes functions (AIFunction, e.g. from AIFunctionFactory.Create) and remote MCP servers (HostedMcpServerTool)."),
            });
        }
        return result;
    }

    // The server's address is a URL, or the name of one of the service's connectors (connector_googlecalendar, ...).
    private static RealtimeTool ToMcpTool(HostedMcpServerTool mcp)
    {
        var isUrl = Uri.TryCreate(mcp.ServerAddress, UriKind.Absolute, out var url) && url.Scheme is "https" or "http";
        return new RealtimeTool
        {
            Type = "mcp",
            ServerLabel = mcp.ServerName,
            ServerUrl = isUrl ? mcp.ServerAddress : null,
            ConnectorId = isUrl ? null : mcp.ServerAddress,
            ServerDescription = mcp.ServerDescription,
            Headers = mcp.Headers is { Count: > 0 } headers ? new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase) : null,
            AllowedTools = RealtimeMcpTool.AllowedTools(mcp.AllowedTools),
            RequireApproval = mcp.ApprovalMode switch
            {
                null => default,
                HostedMcpServerToolNeverRequireApprovalMode => RealtimeMcpTool.RequireApproval(always: false),
                HostedMcpServerToolRequireSpecificApprovalMode specific => RealtimeMcpTool.RequireApproval(specific.AlwaysRequireApprovalToolNames, specific.NeverRequireApprovalToolNames),
                _ => RealtimeMcpTool.RequireApproval(always: true),
            },
        };
    }

    /// <summary>The tool mode as the service's <c>tool_choice</c>: <c>auto</c>, <c>none</c>, <c>required</c> or one named function.</summary>
    public static JsonElement ToToolChoice(ChatToolMode? mode) => mode switch
    {
        null => default,
        NoneChatToolMode => JsonElement.Parse("\"none\""),
        RequiredChatToolMode { RequiredFunctionName: { } name } =>
            JsonElement.Parse(new JsonObject { ["type"] = "function", ["name"] = name }.ToJsonString()),
        RequiredChatToolMode => JsonElement.Parse("\"required\""),
        _ => JsonElement.Parse("\"auto\""),
    };
}
