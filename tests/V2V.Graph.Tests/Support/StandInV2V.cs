using V2V.Ten;

namespace V2V.Graph.Tests.Support;

/// <summary>
/// An addon with the manifest openai_v2v declares (properties and messages), so graphs written for it can be
/// validated before the real extension is registered. Its extension does nothing.
/// </summary>
public static class StandInV2V
{
    public static ExtensionAddon Addon() => TestAddon.Create("openai_v2v", () => new Idle(), """
        {
          "property": { "properties": {
            "api_key": { "type": "string" }, "base_uri": { "type": "string" }, "path": { "type": "string" }, "vendor": { "type": "string" },
            "model": { "type": "string" }, "system_message": { "type": "string" }, "prompt": { "type": "string" },
            "temperature": { "type": "float64" }, "max_tokens": { "type": "int64" }, "voice": { "type": "string" },
            "server_vad": { "type": "bool" }, "language": { "type": "string" }, "dump": { "type": "bool" }, "dump_path": { "type": "string" },
            "greeting": { "type": "string" }, "max_history": { "type": "int64" }, "audio_out": { "type": "bool" },
            "input_transcript": { "type": "bool" }, "sample_rate": { "type": "int64" }, "stream_id": { "type": "int64" }, "dialect": { "type": "string" },
            "history": { "type": "int64" }, "enable_storage": { "type": "bool" } } },
          "audio_frame_in": [ { "name": "pcm_frame" } ], "audio_frame_out": [ { "name": "pcm_frame" } ],
          "data_in": [ { "name": "text_data" } ], "data_out": [ { "name": "text_data" }, { "name": "append" }, { "name": "session_event" }, { "name": "error" } ],
          "cmd_in": [ { "name": "flush" }, { "name": "tool_register" }, { "name": "on_user_joined" }, { "name": "on_user_left" }, { "name": "on_connection_failure" } ],
          "cmd_out": [ { "name": "flush" }, { "name": "tool_call" }, { "name": "on_user_joined" }, { "name": "on_user_left" } ]
        }
        """);

    private sealed class Idle : Extension;
}
