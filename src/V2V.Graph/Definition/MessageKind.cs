namespace V2V.Graph.Definition;

/// <summary>The kinds of messages a graph routes; each has its own list in a TEN connection.</summary>
public enum MessageKind
{
    /// <summary>A command (<c>cmd</c>): one result comes back to the sender.</summary>
    Cmd,

    /// <summary>A data message (<c>data</c>).</summary>
    Data,

    /// <summary>An audio frame (<c>audio_frame</c>).</summary>
    AudioFrame,

    /// <summary>A video frame (<c>video_frame</c>): routed to extensions that handle video, dropped (debug log) at others.</summary>
    VideoFrame,
}

/// <summary>The TEN spellings of <see cref="MessageKind"/>.</summary>
public static class MessageKinds
{
    /// <summary>The key of the kind in a connection: <c>cmd</c>, <c>data</c>, <c>audio_frame</c>, <c>video_frame</c>.</summary>
    public static string Key(this MessageKind kind) => kind switch
    {
        MessageKind.Cmd => "cmd",
        MessageKind.Data => "data",
        MessageKind.AudioFrame => "audio_frame",
        _ => "video_frame",
    };

    /// <summary>The manifest list of messages of this kind an extension sends, e.g. <c>cmd_out</c>.</summary>
    public static string OutKey(this MessageKind kind) => kind.Key() + "_out";

    /// <summary>The manifest list of messages of this kind an extension takes, e.g. <c>cmd_in</c>.</summary>
    public static string InKey(this MessageKind kind) => kind.Key() + "_in";

    /// <summary>All kinds, in the order TEN lists them.</summary>
    public static IReadOnlyList<MessageKind> All { get; } = [MessageKind.Cmd, MessageKind.Data, MessageKind.AudioFrame, MessageKind.VideoFrame];
}
