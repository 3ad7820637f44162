namespace V2V.Realtime.Protocol;

/// <summary>Which of the two published dialects of the Realtime protocol is on the wire.</summary>
public enum RealtimeDialect
{
    /// <summary>The current protocol (GA): <c>response.output_audio.delta</c>, <c>session.type</c>, <c>audio.input.format</c>, ...</summary>
    GA = 0,

    /// <summary>The beta protocol (header <c>OpenAI-Beta: realtime=v1</c>): <c>response.audio.delta</c>, <c>modalities</c>, <c>input_audio_format</c>, ...; the dialect of the original openai_v2v extension.</summary>
    Beta = 1,
}
