using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using V2V.Voice.Diagnostics;

namespace V2V.Voice.Tests.Support;

/// <summary>
/// A meter factory of the test's own (the framework's, from <c>AddMetrics</c>): a <c>MetricCollector</c> bound to it
/// sees only what the sessions and stages given it measure, never what the tests running beside it do.
/// </summary>
internal sealed class OwnMeters : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public OwnMeters()
    {
        Factory = _services.GetRequiredService<IMeterFactory>();
        Metrics = new VoiceMetrics(Factory);
    }

    public IMeterFactory Factory { get; }

    /// <summary>The session's instruments on this factory.</summary>
    public VoiceMetrics Metrics { get; }

    public void Dispose() => _services.Dispose();
}
