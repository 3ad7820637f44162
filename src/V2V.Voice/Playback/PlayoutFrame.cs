namespace V2V.Voice.Playback;

/// <summary>A frame of the agent's voice waiting to be played: its bytes, its item, and where in the item (ms) it ends.</summary>
internal readonly record struct PlayoutFrame(byte[] Pcm16, string ItemId, double ItemEndMs);
