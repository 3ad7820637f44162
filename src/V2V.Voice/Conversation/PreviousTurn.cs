using V2V.Voice.Outputs;

namespace V2V.Voice.Conversation;

/// <summary>A turn of an earlier conversation with the same user (e.g. kept by a storage), told to the model at the start.</summary>
/// <param name="Role">Who said it.</param>
/// <param name="Text">What was said (as heard, for the agent).</param>
public sealed record PreviousTurn(TranscriptRole Role, string Text);
