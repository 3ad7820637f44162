namespace V2V.Voice.Transcripts;

/// <summary>
/// At a barge-in: the item the listener was hearing (null when nothing was queued), how far into it the voice was
/// played, the length of its audio when all of it had come (null while the service was still sending it), and how much
/// of its audio had come.
/// </summary>
internal readonly record struct PlayedAudio(string? ItemId, double PlayedMs, double? WholeMs, double ReceivedMs);
