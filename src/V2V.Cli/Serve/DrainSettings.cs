namespace V2V.Cli.Serve;

/// <summary>The section <c>Drain</c>: how long SIGTERM (or Ctrl+C) lets live sessions go on before ending them.</summary>
internal sealed class DrainSettings
{
    /// <summary>Seconds, 0 to 3600 (<c>--drain-timeout</c>); default 30.</summary>
    public double Timeout { get; set; } = 30;
}
