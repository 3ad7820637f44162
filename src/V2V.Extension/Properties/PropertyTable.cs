using System.Globalization;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Voice;
using static V2V.Extension.Properties.PropertyRow;

namespace V2V.Extension.Properties;

/// <summary>
/// Every property of openai_v2v, once: the manifest's <c>api.property</c> lists exactly these (a test compares
/// them), reading goes row by row, and errors, from a row or from the layers below, are said in a row's words.
/// Rows are applied in order: where two rows set one option (an alias and its name, <c>server_vad</c> and
/// <c>turn_detection</c>), the later one given wins.
/// </summary>
internal static class PropertyTable
{
    /// <summary>The rows, in the order they are applied.</summary>
    public static IReadOnlyList<PropertyRow> Rows { get; } = Build();

    private static PropertyRow[] Build()
    {
        var instructions = Text("system_message", nameof(VoiceSessionOptions.Instructions),
            "The system instructions; {language} and {model} are replaced.",
            (s, v) => s.Session.Instructions = v, s => s.Session.Instructions);
        var maxHistory = Int32("max_history", nameof(VoiceSessionOptions.MaxHistory),
            "Turns of history kept and replayed after a reconnect; 0: none.",
            (s, v) => s.Session.MaxHistory = v, s => s.Session.MaxHistory);
        return
        [
            // Where to connect.
            Text("api_key", nameof(RealtimeClientOptions.ApiKey),
                "The API key (OpenAI or Azure); empty, with no base_uri: the host's key-less endpoint (the local realtime server of v2v graph run and v2v serve) answers.",
                (s, v) => s.Session.Connection.ApiKey = v, s => s.Session.Connection.ApiKey),
            Text("base_uri", nameof(RealtimeClientOptions.BaseUri),
                "The service, an absolute URI: wss://api.openai.com (default), wss://NAME.openai.azure.com, or ws:// for a loopback server.",
                (s, v) => s.Session.Connection.BaseUri = AbsoluteUri(v), s => s.Session.Connection.BaseUri?.ToString()),
            Text("path", nameof(RealtimeClientOptions.Path),
                "The path and query, e.g. /v1/realtime (OpenAI's default) or Azure's /openai/realtime?api-version=...&deployment=NAME.",
                (s, v) => s.Session.Connection.Path = v, s => s.Session.Connection.Path),
            Choice("vendor", nameof(RealtimeClientOptions.Vendor),
                "openai (the Authorization: Bearer header) or azure (the api-key header); empty: openai.",
                [("openai", RealtimeVendor.OpenAI), ("azure", RealtimeVendor.Azure)],
                (s, v) => s.Session.Connection.Vendor = v, s => s.Session.Connection.Vendor),
            Choice("dialect", nameof(RealtimeClientOptions.Dialect),
                "The protocol: ga, or beta (only Azure's preview endpoint still speaks it).",
                [("ga", RealtimeDialect.GA), ("beta", RealtimeDialect.Beta)],
                (s, v) => s.Session.Connection.Dialect = v, s => s.Session.Connection.Dialect),
            Text("model", nameof(RealtimeClientOptions.Model),
                $"The model (Azure: the deployment); empty: {V2VPropertyReader.DefaultModel}.",
                (s, v) => s.Session.Connection.Model = v, s => s.Session.Connection.Model),

            // What the agent is. TEN's graphs name the instructions 'prompt': a graph's prompt wins over the shipped
            // system_message (property.json gives that one, so the later row must be the graph's).
            instructions,
            instructions.Alias("prompt"),
            Number("temperature", nameof(VoiceSessionOptions.Temperature),
                "The sampling temperature, 0 to 2 (sent in the beta dialect only).",
                (s, v) => s.Session.Temperature = v, s => s.Session.Temperature),
            Integer("max_tokens", nameof(VoiceSessionOptions.MaxTokens),
                "The most output tokens of a response; 0 or less: no limit.",
                (s, v) => s.Session.MaxTokens = v > 0 ? (int)Math.Min(v, int.MaxValue) : null, s => s.Session.MaxTokens ?? 0),
            Text("voice", nameof(VoiceSessionOptions.Voice),
                "The voice, e.g. alloy or marin; empty: the service's.",
                (s, v) => s.Session.Voice = v, s => s.Session.Voice),
            Number("speed", nameof(VoiceSessionOptions.Speed),
                "How fast the voice speaks, 0.25 to 1.5 times its own pace (GA only); 0: the service's (1).",
                (s, v) => s.Session.Speed = v == 0 ? null : v, s => s.Session.Speed),
            Choice("reasoning_effort", nameof(VoiceSessionOptions.ReasoningEffort),
                "How hard a reasoning model (gpt-realtime-2) thinks before it speaks (GA only): default (the model's own, low), minimal, low, medium, high or xhigh.",
                [("default", ""), ("minimal", "minimal"), ("low", "low"), ("medium", "medium"), ("high", "high"), ("xhigh", "xhigh")],
                (s, v) => s.Session.ReasoningEffort = v.Length == 0 ? null : v, s => s.Session.ReasoningEffort ?? ""),
            Choice("parallel_tool_calls", nameof(VoiceSessionOptions.ParallelToolCalls),
                "Whether a reasoning model (gpt-realtime-2) may call several tools at once (GA only): default (the model's own), on, or off (tools that must run one after another).",
                [("default", ""), ("on", "on"), ("off", "off")],
                (s, v) => s.Session.ParallelToolCalls = v switch { "on" => true, "off" => false, _ => null },
                s => s.Session.ParallelToolCalls switch { true => "on", false => "off", null => "" }),
            Number("retention_ratio", nameof(VoiceSessionOptions.RetentionRatio),
                "Cost control of long conversations (GA only): once the conversation outgrows the context (or truncation_token_limit), the service drops its oldest turns until this fraction is left, more than 0 and at most 1 (e.g. 0.8); 0: the service's own truncation.",
                (s, v) => s.Session.RetentionRatio = v == 0 ? null : v, s => s.Session.RetentionRatio),
            Int32("truncation_token_limit", nameof(VoiceSessionOptions.TruncationTokenLimit),
                "With retention_ratio: the tokens the conversation may hold after the instructions before it is truncated; 0: the model's context.",
                (s, v) => s.Session.TruncationTokenLimit = v == 0 ? null : v, s => s.Session.TruncationTokenLimit),
            Text("language", nameof(VoiceSessionOptions.Language),
                "The conversation language, e.g. en or zh-CN: for input transcription and {language}.",
                (s, v) => s.Session.Language = v, s => s.Session.Language),
            Text("greeting", nameof(VoiceSessionOptions.Greeting),
                "What the agent says when the first user joins (on_user_joined); empty: the language's short hello (en: \"Hi, there.\"), as the original; {greeting} in the prompt is this text. To say nothing, set greet_on_join to false.",
                (s, v) => s.Session.Greeting = v, s => s.Session.Greeting),
            Flag("greet_on_join", nameof(V2VSettings.GreetOnJoin),
                "false: the agent says nothing when a user joins; true: the greeting (or the language's short hello).",
                (s, v) => s.GreetOnJoin = v, s => s.GreetOnJoin),
            maxHistory.Alias("history"),
            maxHistory,

            // Who ends the user's turns.
            Flag("server_vad", nameof(VoiceSessionOptions.TurnMode),
                "true: the service detects the end of turns; false: the local VAD does. turn_detection, when given, wins.",
                (s, v) => s.Session.TurnMode = v ? TurnMode.ServerVad : TurnMode.LocalVad, s => s.Session.TurnMode != TurnMode.LocalVad),
            // server_vad is the original's default: at TEN-Agent 35e6581 its session.update sent no turn_detection (so the
            // service's default, server_vad, applied), and its later vad_type property defaults to server_vad too.
            Choice("vad_type", nameof(VoiceSessionOptions.TurnMode),
                "The service's turn detection, as TEN-Agent names it: server_vad or semantic_vad. Given, it wins over server_vad; turn_detection wins over both.",
                [("server_vad", TurnMode.ServerVad), ("semantic_vad", TurnMode.SemanticVad)],
                (s, v) => s.Session.TurnMode = v, s => s.Session.TurnMode == TurnMode.SemanticVad ? TurnMode.SemanticVad : TurnMode.ServerVad),
            Choice("turn_detection", nameof(VoiceSessionOptions.TurnMode),
                "Who ends the user's turns: server_vad, semantic_vad or local_vad.",
                [("server_vad", TurnMode.ServerVad), ("semantic_vad", TurnMode.SemanticVad), ("local_vad", TurnMode.LocalVad)],
                (s, v) => s.Session.TurnMode = v, s => s.Session.TurnMode),
            Choice("vad_eagerness", nameof(VoiceSessionOptions.SemanticVadEagerness),
                "How soon semantic VAD ends a turn: low, medium, high or auto (semantic_vad only).",
                [("low", "low"), ("medium", "medium"), ("high", "high"), ("auto", "auto")],
                (s, v) => s.Session.SemanticVadEagerness = v, s => s.Session.SemanticVadEagerness),
            Number("vad_threshold", nameof(VoiceSessionOptions.VadThreshold),
                "Server VAD threshold, 0 to 1.",
                (s, v) => s.Session.VadThreshold = v, s => s.Session.VadThreshold),
            Int32("vad_prefix_padding_ms", nameof(VoiceSessionOptions.VadPrefixPaddingMs),
                "Server VAD audio kept before speech, in ms (0 or more).",
                (s, v) => s.Session.VadPrefixPaddingMs = v, s => s.Session.VadPrefixPaddingMs),
            Int32("vad_silence_duration_ms", nameof(VoiceSessionOptions.VadSilenceDurationMs),
                "Silence that ends a turn, 50 to 10000 ms.",
                (s, v) => s.Session.VadSilenceDurationMs = v, s => s.Session.VadSilenceDurationMs),
            Int32("input_chunk_ms", nameof(VoiceSessionOptions.InputChunkMs),
                "Audio gathered into one append while the user speaks, 10 to 1000 ms.",
                (s, v) => s.Session.InputChunkMs = v, s => s.Session.InputChunkMs),
            Number("input_quiet_dbfs", nameof(VoiceSessionOptions.InputQuietDbfs),
                "Input frames quieter than this (-120 to 0 dBFS) near the end of a turn are sent at once; -120: off.",
                (s, v) => s.Session.InputQuietDbfs = v, s => s.Session.InputQuietDbfs),
            Int32("idle_timeout_ms", nameof(VoiceSessionOptions.IdleTimeout),
                "A user silent this long after the agent's answer played is prompted by the model to go on, 5000 to 30000 ms (server VAD on GA: the service keeps it; otherwise the session); 0: off.",
                (s, v) => s.Session.IdleTimeout = v == 0 ? null : TimeSpan.FromMilliseconds(v), s => (int)(s.Session.IdleTimeout?.TotalMilliseconds ?? 0)),
            // Noise that reaches the turn detection is taken for speech, and speech cuts the agent off.
            Choice("noise_reduction", nameof(VoiceSessionOptions.NoiseReduction),
                "The service's noise reduction of the user's audio, before its turn detection and the model hear it: near_field (headsets, a phone held to the ear), far_field (laptops, rooms, speakerphones) or off.",
                [("off", ""), ("near_field", "near_field"), ("far_field", "far_field")],
                (s, v) => s.Session.NoiseReduction = v.Length == 0 ? null : v, s => s.Session.NoiseReduction ?? ""),

            // What comes out.
            Flag("audio_out", nameof(VoiceSessionOptions.AudioOut),
                "false: text only, no pcm_frame out.",
                (s, v) => s.Session.AudioOut = v, s => s.Session.AudioOut),
            Flag("input_transcript", nameof(VoiceSessionOptions.InputTranscript),
                "Transcribe the user's speech into text_data (role user).",
                (s, v) => s.Session.InputTranscript = v, s => s.Session.InputTranscript),
            Text("transcription_model", nameof(VoiceSessionOptions.TranscriptionModel),
                "The model that transcribes the user (Azure: a deployment).",
                (s, v) => s.Session.TranscriptionModel = v, s => s.Session.TranscriptionModel),
            Int32("sample_rate", nameof(VoiceSessionOptions.OutputSampleRate),
                "The sample rate of the pcm_frame out, 8000 to 48000 Hz.",
                (s, v) => s.Session.OutputSampleRate = v, s => s.Session.OutputSampleRate),
            Int32("frame_ms", nameof(VoiceSessionOptions.OutputFrameDuration),
                "The length of each pcm_frame out, 5 to 100 ms.",
                (s, v) => s.Session.OutputFrameDuration = TimeSpan.FromMilliseconds(v), s => (int)s.Session.OutputFrameDuration.TotalMilliseconds),
            Flag("pace_output", nameof(VoiceSessionOptions.PaceOutput),
                "true: pcm_frame out in real time; false: as fast as it comes (files, tests).",
                (s, v) => s.Session.PaceOutput = v, s => s.Session.PaceOutput),
            Flag("played_reports", nameof(VoiceSessionOptions.TransportReportsPlayed),
                "true: the transport sends audio_played (item_id, end_ms) as its far end plays the audio (a phone stream's marks), and a barge-in truncates there; false: a pcm_frame counts as played once handed on.",
                (s, v) => s.Session.TransportReportsPlayed = v, s => s.Session.TransportReportsPlayed),
            Int32("tool_timeout_ms", nameof(VoiceSessionOptions.ToolTimeout),
                "How long a tool_call may take before the model gets an error output, in ms (more than 0).",
                (s, v) => s.Session.ToolTimeout = TimeSpan.FromMilliseconds(v), s => (int)s.Session.ToolTimeout.TotalMilliseconds),
            Integer("stream_id", nameof(VoiceSessionOptions.DumpName),
                "The stream id of the agent's pcm_frame and text_data out; it also names the session's dump files.",
                (s, v) =>
                {
                    s.StreamId = v;
                    s.Session.DumpName = v.ToString(CultureInfo.InvariantCulture);
                },
                s => s.StreamId),

            // A remote MCP server (GA): the service lists and calls its tools itself; the graph sees each call as a
            // session_event and answers approvals with the cmd mcp_approval.
            Text("mcp_server_url", nameof(VoiceSessionOptions.McpServers),
                "A remote MCP server (GA) whose tools the service lists and calls itself, an https:// URL the service can reach; empty: none.",
                (s, v) => s.Mcp.Url = McpUrl(v), s => s.Mcp.Url?.GetLeftPart(UriPartial.Path)),
            Text("mcp_server_label", nameof(VoiceSessionOptions.McpServers),
                "The label of the MCP server's calls: letters, digits, '-' or '_'.",
                (s, v) => s.Mcp.Label = v.Trim(), s => s.Mcp.Label),
            Text("mcp_authorization", nameof(VoiceSessionOptions.McpServers),
                "An OAuth access token the service gives the MCP server (a secret: use ${env:NAME}).",
                (s, v) => s.Mcp.Authorization = v, s => s.Mcp.Authorization),
            Text("mcp_allowed_tools", nameof(VoiceSessionOptions.McpServers),
                "The MCP server's tools the model may use, comma-separated; empty: all it lists.",
                (s, v) => s.Mcp.AllowedTools = v, s => s.Mcp.AllowedTools),
            Choice("mcp_require_approval", nameof(VoiceSessionOptions.McpServers),
                "always: each call waits for the cmd mcp_approval (request_id, approve, reason) answering the session_event mcp_approval_request; never: calls run at once.",
                McpServerProperties.Approvals,
                (s, v) => s.Mcp.Approval = v, s => s.Mcp.Approval),
            Objects("mcp_servers", nameof(VoiceSessionOptions.McpServers),
                "More remote MCP servers, a list of objects each with server_url and server_label, and optionally authorization (${env:NAME}), allowed_tools (comma-separated) and require_approval (always or never); with mcp_server_url's, if given; the labels must differ.",
                (s, list, row) => s.McpServers.AddRange(McpServerList.Read(list, row)), s => McpServerList.Show(s.McpServers)),

            // Storage, as the original: the cmd retrieve at start (its answer becomes the previous conversation), data append per final turn.
            Flag("enable_storage", nameof(V2VSettings.EnableStorage),
                "Send cmd retrieve at start (its response, a JSON list of {role, input}, is the earlier conversation) and data append {text, role, stream_id} per final turn.",
                (s, v) => s.EnableStorage = v, s => s.EnableStorage),

            // Diagnostics.
            Flag("tracing", nameof(VoiceSessionOptions.Tracing),
                "true: the session is traced in OpenAI's Traces dashboard (GA only), named by trace_workflow_name and trace_group_id when given (either of them turns tracing on).",
                (s, v) => s.Session.Tracing = v ? s.Session.Tracing ?? new SessionTracing() : null, s => s.Session.Tracing is not null),
            Text("trace_workflow_name", nameof(VoiceSessionOptions.Tracing),
                "The workflow the traces are listed under (with tracing).",
                (s, v) => (s.Session.Tracing ??= new SessionTracing()).WorkflowName = v, s => s.Session.Tracing?.WorkflowName),
            Text("trace_group_id", nameof(VoiceSessionOptions.Tracing),
                "The group the traces are filed under, e.g. a call or customer id (with tracing).",
                (s, v) => (s.Session.Tracing ??= new SessionTracing()).GroupId = v, s => s.Session.Tracing?.GroupId),
            Flag("dump", nameof(VoiceSessionOptions.Dump),
                "Write each session's input and output audio as WAV files into dump_path.",
                (s, v) => s.Session.Dump = v, s => s.Session.Dump),
            Text("dump_path", nameof(VoiceSessionOptions.DumpFolder),
                "The folder of the dumps.",
                (s, v) => s.Session.DumpFolder = v, s => s.Session.DumpFolder),
        ];
    }

    /// <summary>
    /// The row of an option a layer below names (its C# name, e.g. <c>OutputSampleRate</c>): of the rows that set it, the one the node gave (the last, as it won), else the main one.
    /// </summary>
    public static PropertyRow? ForOption(string name, System.Text.Json.Nodes.JsonObject given)
    {
        var rows = Rows.Where(r => r.Option == name).ToList();
        return rows.LastOrDefault(r => r.IsGiven(given)) ?? rows.LastOrDefault(r => r.AliasOf is null);
    }

    private static Uri McpUrl(string text) => McpServerProperties.UrlOf(text)
        ?? throw Rows.First(r => r.Name == "mcp_server_url").Refused($"must be an absolute https:// URL, got \"{text}\".");

    private static Uri AbsoluteUri(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) ? uri
            : throw Rows.First(r => r.Name == "base_uri").Refused($"must be an absolute URI such as wss://api.openai.com, got \"{text}\".");
}
