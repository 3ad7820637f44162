using System.Runtime.InteropServices;

namespace V2V.Cli.Serve;

/// <summary>
/// SIGTERM (what Kubernetes, systemd and docker stop send) and Ctrl+C (SIGINT) ask <c>v2v serve</c> to drain; a
/// second one asks it to stop now. The signals are taken from the runtime (which would end the process at once) and
/// from System.CommandLine (which would end it two seconds later): a drain takes longer.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _drain = new();
    private readonly CancellationTokenSource _now = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignals() => _registrations = [Register(PosixSignal.SIGTERM), Register(PosixSignal.SIGINT)];

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Drain => _drain.Token;

    /// <summary>Cancelled by the second.</summary>
    public CancellationToken Now => _now.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _drain.Dispose();
        _now.Dispose();
    }

    private PosixSignalRegistration Register(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        (_drain.IsCancellationRequested ? _now : _drain).Cancel();
    });
}
