namespace V2V.Playground.Telephony;

/// <summary>The <c>event</c> of a message Twilio sends on a media stream.</summary>
internal enum TwilioEvent
{
    /// <summary>An event this server does not know (logged, then ignored).</summary>
    Unknown,

    /// <summary><c>connected</c>: the first message; says the protocol.</summary>
    Connected,

    /// <summary><c>start</c>: the stream's ids, custom parameters and media format; before any media.</summary>
    Start,

    /// <summary><c>media</c>: 20 ms of the caller's audio, base64 mu-law 8 kHz.</summary>
    Media,

    /// <summary><c>mark</c>: a mark this server sent, echoed once the audio before it was played (or cleared).</summary>
    Mark,

    /// <summary><c>dtmf</c>: a key the caller pressed.</summary>
    Dtmf,

    /// <summary><c>stop</c>: the call ended (hang-up, or the stream was stopped).</summary>
    Stop,
}
