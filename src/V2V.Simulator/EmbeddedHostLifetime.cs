using Microsoft.Extensions.Hosting;

namespace V2V.Simulator;

/// <summary>
/// The lifetime of a web server that lives inside someone else's process (this one, and the playground's): it takes
/// no signals. The web host's default (ConsoleLifetime) answers SIGTERM and Ctrl+C by stopping the server at once, so
/// when <c>v2v serve</c> began its drain on SIGTERM, the in-process local realtime server and the playground stopped
/// under the live sessions the drain was meant to let finish. The process that embeds the server owns the signals
/// and stops it by disposing it (or, for the playground, drains it first).
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
