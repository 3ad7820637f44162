using System.Text.Json.Nodes;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.Support;

/// <summary>
/// A test extension that records what it receives in a journal, answers commands (OK with <c>by</c> = its name; the
/// command <c>explode</c> throws; <c>refuse</c> answers an error), and gives the test its env to send from. Its first
/// audio frame can be held at a gate, to pile up work behind a busy handler.
/// </summary>
public sealed class Probe(Journal journal) : Extension
{
    private readonly TaskCompletionSource<ITenEnv> _env = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _busy;
    private int _frames;

    public const string Addon = "probe";

    /// <summary>Holds the first audio frame's handler until opened (null: no hold).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completes when the first audio frame's handler is running.</summary>
    public TaskCompletionSource FirstFrameEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The most handlers ever running at once.</summary>
    public int MaxConcurrency { get; private set; }

    public Task<ITenEnv> Env => _env.Task;

    public List<TenMessage> Received { get; } = [];

    public Func<ITenEnv, CancellationToken, Task>? OnStop { get; set; }

    public override Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        journal.Add($"init {env.Name}");
        return Task.CompletedTask;
    }

    public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        journal.Add($"start {env.Name}");
        _env.TrySetResult(env);
        return Task.CompletedTask;
    }

    public override async Task OnStopAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        journal.Add($"stop {env.Name}");
        if (OnStop is not null)
        {
            await OnStop(env, cancellationToken);
        }
    }

    public override Task OnDeinitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        journal.Add($"deinit {env.Name}");
        return Task.CompletedTask;
    }

    public override async Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        Enter();
        try
        {
            journal.Add($"{env.Name} cmd {cmd.Name} from {cmd.Source}");
            Received.Add(cmd);
            await Task.Yield();
            return cmd.Name switch
            {
                "explode" => throw new InvalidOperationException("boom in the handler"),
                "refuse" => CmdResult.Error($"{env.Name} refuses"),
                _ => Ok(env.Name),
            };
        }
        finally
        {
            Leave();
        }
    }

    public override async ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        Enter();
        try
        {
            journal.Add($"{env.Name} data {data.Name} {data.GetString("text")}");
            Received.Add(data);
            await Task.Yield();
            if (data.GetString("text") == "explode")
            {
                throw new InvalidOperationException("boom in the data handler");
            }
        }
        finally
        {
            Leave();
        }
    }

    public override async ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken)
    {
        Enter();
        try
        {
            journal.Add($"{env.Name} frame {frame.Timestamp}");
            Received.Add(frame);
            if (Interlocked.Increment(ref _frames) == 1 && Gate is not null)
            {
                FirstFrameEntered.TrySetResult();
                await Gate.Task;
            }
            await Task.Yield();
        }
        finally
        {
            Leave();
        }
    }

    private static CmdResult Ok(string name)
    {
        var result = CmdResult.Ok();
        result.Set("by", name);
        return result;
    }

    private void Enter()
    {
        var now = Interlocked.Increment(ref _busy);
        if (now > MaxConcurrency)
        {
            MaxConcurrency = now;
        }
    }

    private void Leave() => Interlocked.Decrement(ref _busy);
}
