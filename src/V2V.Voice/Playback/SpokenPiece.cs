using V2V.Voice.Outputs;

namespace V2V.Voice.Playback;

/// <summary>
/// A piece of the agent's words on its way through the output channel, with its turn and where in the turn's text it
/// ends: when the reader takes it, the <see cref="TransportHandoff"/> counts it as heard and gives the reader the piece.
/// The reader never sees this type.
/// </summary>
internal sealed record SpokenPiece(TranscriptOutput Piece, SpokenTurn Turn, int TextEnd) : VoiceSessionEvent;
