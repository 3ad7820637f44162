namespace V2V.Cli.Commands;

/// <summary>A flag of the command line has a value the command cannot use; the message names the flag and what it accepts.</summary>
internal sealed class UsageException(string message) : Exception(message);
