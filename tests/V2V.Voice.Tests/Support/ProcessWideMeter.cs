namespace V2V.Voice.Tests.Support;

/// <summary>
/// The tests that listen to the meter <c>V2V.Voice</c>. It is static, one for the whole process (the session has no
/// meter of its own to give a test), so every session of every test running beside a listener feeds it: a test could
/// pass on another's measurements, or count another's drops. This collection runs alone, after the others.
/// </summary>
[CollectionDefinition(nameof(ProcessWideMeter), DisableParallelization = true)]
public sealed class ProcessWideMeter;
