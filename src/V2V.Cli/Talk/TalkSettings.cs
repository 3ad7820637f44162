using V2V.Realtime.Client;
using V2V.Voice;

namespace V2V.Cli.Talk;

/// <summary>What <c>v2v talk</c> was asked to do. <see cref="KeySource"/>: where the key came from, to name in an error.</summary>
internal sealed record TalkSettings(
    FileInfo Input,
    FileInfo? Output,
    FileInfo? Transcript,
    RealtimeClientOptions Connection,
    bool UseLocalServer,
    TurnMode TurnMode,
    bool Fast,
    int OutputRate,
    string? Voice,
    string? Instructions,
    TimeSpan Timeout,
    string KeySource);
