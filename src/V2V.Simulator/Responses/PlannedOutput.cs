namespace V2V.Simulator.Responses;

/// <summary>What one output item of a response will be: spoken audio, text, or a function call.</summary>
internal abstract record PlannedOutput;

/// <summary>An assistant message spoken as audio (24 kHz samples) with its transcript.</summary>
internal sealed record PlannedAudio(short[] Audio, string Transcript) : PlannedOutput;

/// <summary>An assistant message of text.</summary>
internal sealed record PlannedText(string Text) : PlannedOutput;

/// <summary>A call of a configured function.</summary>
internal sealed record PlannedFunctionCall(string Name, string Arguments) : PlannedOutput;
