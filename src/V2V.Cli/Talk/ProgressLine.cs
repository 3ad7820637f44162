namespace V2V.Cli.Talk;

/// <summary>A progress bar on stderr for long inputs, drawn only when stderr is a terminal (never in logs or pipes).</summary>
internal sealed class ProgressLine(TimeSpan total)
{
    private readonly bool _enabled = total >= TimeSpan.FromSeconds(10) && !Console.IsErrorRedirected;
    private int _lastPercent = -1;

    public void Report(TimeSpan sent)
    {
        if (!_enabled)
        {
            return;
        }
        var percent = (int)Math.Clamp(sent / total * 100, 0, 100);
        if (percent == _lastPercent)
        {
            return;
        }
        _lastPercent = percent;
        var filled = percent / 5;
        Console.Error.Write($"\r[{new string('#', filled)}{new string('.', 20 - filled)}] {percent,3}% of {total.TotalSeconds:F0} s sent");
        if (percent == 100)
        {
            Console.Error.WriteLine();
        }
    }
}
