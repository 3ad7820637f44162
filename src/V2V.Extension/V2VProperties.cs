using System.Text.Json.Nodes;
using V2V.Realtime.Client;
using V2V.Realtime.Protocol;
using V2V.Ten;
using V2V.Voice;

namespace V2V.Extension;

/// <summary>
/// The properties of openai_v2v, read into the voice session's options. Every error names the property and
/// what it accepts. Values were already type-checked against the manifest by <see cref="TenProperties"/>.
/// </summary>
internal sealed record V2VProperties(VoiceSessionOptions Session, bool UseLocalServer)
{
    public static V2VProperties Read(JsonObject p)
    {
        var apiKey = p["api_key"]?.GetValue<string>();
        var baseUri = p["base_uri"]?.GetValue<string>();
        var vendorText = p["vendor"]?.GetValue<string>() ?? "";
        var vendor = vendorText.ToLowerInvariant() switch
        {
            "" or "openai" => RealtimeVendor.OpenAI,
            "azure" => RealtimeVendor.Azure,
            _ => throw new TenPropertyException("vendor", $"openai_v2v: property 'vendor' must be \"\" (OpenAI) or \"azure\", got \"{vendorText}\"."),
        };
        var dialectText = p["dialect"]?.GetValue<string>() ?? "ga";
        var dialect = dialectText.ToLowerInvariant() switch
        {
            "ga" or "" => RealtimeDialect.GA,
            "beta" => RealtimeDialect.Beta,
            _ => throw new TenPropertyException("dialect", $"openai_v2v: property 'dialect' must be \"ga\" or \"beta\", got \"{dialectText}\"."),
        };
        // No key and no endpoint of one's own: the embedded local realtime server answers.
        var useLocal = string.IsNullOrEmpty(apiKey) && string.IsNullOrEmpty(baseUri);
        Uri? uri = null;
        if (!string.IsNullOrEmpty(baseUri) && !Uri.TryCreate(baseUri, UriKind.Absolute, out uri))
        {
            throw new TenPropertyException("base_uri", $"openai_v2v: property 'base_uri' must be an absolute URI such as wss://api.openai.com, got \"{baseUri}\".");
        }

        var options = new VoiceSessionOptions
        {
            Connection = new RealtimeClientOptions
            {
                ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey,
                BaseUri = uri,
                Path = NullIfEmpty(p["path"]?.GetValue<string>()),
                Vendor = vendor,
                Model = NullIfEmpty(p["model"]?.GetValue<string>()) ?? (dialect == RealtimeDialect.Beta ? "gpt-4o-realtime-preview" : "gpt-realtime"),
                Dialect = dialect,
            },
            Instructions = NullIfEmpty(p["system_message"]?.GetValue<string>()) ?? NullIfEmpty(p["prompt"]?.GetValue<string>()),
            Temperature = p["temperature"]?.GetValue<double>(),
            MaxTokens = Positive(p, "max_tokens"),
            Voice = NullIfEmpty(p["voice"]?.GetValue<string>()),
            Language = NullIfEmpty(p["language"]?.GetValue<string>()),
            TurnMode = TurnModeOf(p),
            Greeting = NullIfEmpty(p["greeting"]?.GetValue<string>()),
            AudioOut = p["audio_out"]?.GetValue<bool>() ?? true,
            InputTranscript = p["input_transcript"]?.GetValue<bool>() ?? false,
            Dump = p["dump"]?.GetValue<bool>() ?? false,
            DumpFolder = NullIfEmpty(p["dump_path"]?.GetValue<string>()) ?? "dumps",
            StreamId = Long(p, "stream_id") ?? 0,
        };
        SetIf(p, "max_history", v => options.MaxHistory = checked((int)v));
        SetIf(p, "sample_rate", v => options.OutputSampleRate = checked((int)v));
        SetIf(p, "frame_ms", v => options.OutputFrameDuration = TimeSpan.FromMilliseconds(v));
        SetIf(p, "vad_prefix_padding_ms", v => options.VadPrefixPaddingMs = checked((int)v));
        SetIf(p, "vad_silence_duration_ms", v => options.VadSilenceDurationMs = checked((int)v));
        SetIf(p, "tool_timeout_ms", v => options.ToolTimeout = TimeSpan.FromMilliseconds(v));
        SetIf(p, "input_chunk_ms", v => options.InputChunkMs = checked((int)v));
        SetIf<double>(p, "input_quiet_dbfs", v => options.InputQuietDbfs = v);
        SetIf<double>(p, "vad_threshold", v => options.VadThreshold = v);
        SetIf<bool>(p, "pace_output", v => options.PaceOutput = v);
        if (NullIfEmpty(p["transcription_model"]?.GetValue<string>()) is { } transcription)
        {
            options.TranscriptionModel = transcription;
        }

        Check(options);
        return new V2VProperties(options, useLocal);
    }

    // The session's own checks name its settings; here they are said in the words of the properties.
    private static void Check(VoiceSessionOptions options)
    {
        try
        {
            options.Validate();
            if (!string.IsNullOrEmpty(options.Connection.ApiKey) || options.Connection.BaseUri is not null)
            {
                RealtimeEndpoint.Create(options.Connection);
            }
        }
        catch (ArgumentException ex)
        {
            var property = ex.ParamName switch
            {
                nameof(VoiceSessionOptions.OutputSampleRate) => "sample_rate",
                nameof(VoiceSessionOptions.OutputFrameDuration) => "frame_ms",
                nameof(VoiceSessionOptions.VadThreshold) => "vad_threshold",
                nameof(VoiceSessionOptions.VadPrefixPaddingMs) => "vad_prefix_padding_ms",
                nameof(VoiceSessionOptions.VadSilenceDurationMs) => "vad_silence_duration_ms",
                nameof(VoiceSessionOptions.MaxHistory) => "max_history",
                nameof(VoiceSessionOptions.MaxTokens) => "max_tokens",
                nameof(VoiceSessionOptions.Temperature) => "temperature",
                nameof(VoiceSessionOptions.ToolTimeout) => "tool_timeout_ms",
                nameof(VoiceSessionOptions.InputChunkMs) => "input_chunk_ms",
                nameof(VoiceSessionOptions.InputQuietDbfs) => "input_quiet_dbfs",
                _ => ex.ParamName ?? "property",
            };
            var detail = ex.Message.Replace(ex.ParamName ?? "\0", property, StringComparison.Ordinal);
            var at = detail.IndexOf(" (Parameter", StringComparison.Ordinal);
            throw new TenPropertyException(property, $"openai_v2v: property '{property}': {(at < 0 ? detail : detail[..at])}");
        }
        catch (RealtimeConfigurationException ex)
        {
            // The client names its own options; said here in the words of the properties.
            var property = ex.Option switch
            {
                nameof(RealtimeClientOptions.ApiKey) or nameof(RealtimeClientOptions.BearerToken) => "api_key",
                nameof(RealtimeClientOptions.BaseUri) => "base_uri",
                nameof(RealtimeClientOptions.Path) => "path",
                nameof(RealtimeClientOptions.Model) => "model",
                nameof(RealtimeClientOptions.Dialect) => "dialect",
                nameof(RealtimeClientOptions.Vendor) => "vendor",
                _ => ex.Option,
            };
            throw new TenPropertyException(property, $"openai_v2v: property '{property}': {ex.Message}");
        }
    }

    private static TurnMode TurnModeOf(JsonObject p)
    {
        var explicitMode = NullIfEmpty(p["turn_detection"]?.GetValue<string>());
        if (explicitMode is not null)
        {
            return explicitMode switch
            {
                "server_vad" => TurnMode.ServerVad,
                "semantic_vad" => TurnMode.SemanticVad,
                "local_vad" => TurnMode.LocalVad,
                _ => throw new TenPropertyException("turn_detection", $"openai_v2v: property 'turn_detection' must be server_vad, semantic_vad or local_vad, got \"{explicitMode}\"."),
            };
        }
        // server_vad false: nobody in a graph can say "end of turn", so the local detector does.
        return p["server_vad"]?.GetValue<bool>() == false ? TurnMode.LocalVad : TurnMode.ServerVad;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static long? Long(JsonObject p, string name) => p[name]?.GetValue<long>();

    private static int? Positive(JsonObject p, string name) => Long(p, name) is long v && v > 0 ? checked((int)v) : null;

    private static void SetIf(JsonObject p, string name, Action<long> set) => SetIf<long>(p, name, set);

    /// <summary>Sets an option from a property that is present; its type is the manifest's, checked before this runs.</summary>
    private static void SetIf<T>(JsonObject p, string name, Action<T> set)
    {
        if (p[name] is { } node)
        {
            set(node.GetValue<T>());
        }
    }
}
