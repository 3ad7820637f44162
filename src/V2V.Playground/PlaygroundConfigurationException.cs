namespace V2V.Playground;

/// <summary>The playground cannot start as configured; the message says what to change.</summary>
public sealed class PlaygroundConfigurationException(string message) : Exception(message);
