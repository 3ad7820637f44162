namespace V2V.Extension;

/// <summary>The short hello of the original (its <c>_greeting_text</c>), by conversation language: what the agent says when no greeting is set.</summary>
internal static class GreetingText
{
    public static string For(string? language) => (language ?? "").Split('-', '_')[0].ToLowerInvariant() switch
    {
        "zh" => "你好。",
        "ja" => "こんにちは",
        "ko" => "안녕하세요",
        _ => "Hi, there.",
    };
}
