using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// <c>wav_rtc</c>: a stand-in for TEN's RTC transport (<c>agora_rtc</c>) in one node, so a TEN graph runs unchanged
/// with <c>--bind agora_rtc=wav_rtc</c>. It is the user's side of the call: it sends <c>on_user_joined</c>, then plays
/// <c>input_path</c> in as <c>pcm_frame</c> (a <see cref="WavFileSource"/>: <c>realtime</c>, <c>frame_ms</c>,
/// <c>stream_id</c>, silences), writes the <c>pcm_frame</c> it receives to <c>output_path</c> and answers
/// <c>flush</c> (a <see cref="WavFileSink"/>), and keeps the message collector's <c>data</c> as decoded messages in
/// <c>data_path</c> (JSONL). Once its input is done and the answer has been quiet for <c>leave_after_quiet_ms</c>,
/// it sends <c>on_user_left</c>, as the RTC extension does when the user hangs up, and completes
/// (<see cref="IGraphParticipant"/>), so <c>v2v graph run</c> ends.
/// </summary>
public sealed partial class WavRtc : Extension, IGraphParticipant
{
    /// <summary>The addon name.</summary>
    public const string AddonName = "wav_rtc";

    private static readonly TimeSpan QuietPoll = TimeSpan.FromMilliseconds(100);

    // wav_rtc's property names, and what the inner source and sink call them.
    private static readonly Dictionary<string, string> SourceProperties = new(StringComparer.Ordinal)
    {
        ["input_path"] = "path", ["frame_ms"] = "frame_ms", ["realtime"] = "realtime", ["stream_id"] = "stream_id",
        ["leading_silence_ms"] = "leading_silence_ms", ["trailing_silence_ms"] = "trailing_silence_ms",
    };

    private static readonly Dictionary<string, string> SinkProperties = new(StringComparer.Ordinal)
    {
        ["output_path"] = "path", ["sample_rate"] = "sample_rate",
    };

    private readonly WavFileSource _source = new();
    private readonly WavFileSink _sink = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private InnerExtensionEnv? _sourceEnv, _sinkEnv;
    private CollectorDataLog? _dataLog;
    private string _dataPath = "";
    private TimeSpan _leaveAfterQuiet;
    private bool _sendUserLeft;
    private long _lastOutputTimestamp;
    private long _badData;
    private Task _leaving = Task.CompletedTask;

    /// <summary>The addon: manifest, property.json defaults, factory.</summary>
    public static ExtensionAddon Addon() => new(AddonName, BuiltInManifest.Create(
            AddonName,
            new Dictionary<string, string>
            {
                ["input_path"] = "string", ["output_path"] = "string", ["data_path"] = "string", ["frame_ms"] = "int64",
                ["realtime"] = "bool", ["stream_id"] = "int64", ["leading_silence_ms"] = "int64", ["trailing_silence_ms"] = "int64",
                ["sample_rate"] = "int64", ["send_user_left"] = "bool", ["leave_after_quiet_ms"] = "int64",
            },
            required: ["input_path"],
            cmdIn: ["flush"],
            cmdOut: ["on_user_joined", "on_user_left", "on_connection_failure"],
            dataIn: ["data"],
            audioFrameIn: ["pcm_frame"],
            audioFrameOut: ["pcm_frame"]),
        BuiltInManifest.Defaults("""
            { "output_path": "out/answer.wav", "data_path": "out/messages.jsonl", "frame_ms": 10, "realtime": true, "stream_id": 1234,
              "leading_silence_ms": 0, "trailing_silence_ms": 2000, "sample_rate": 0, "send_user_left": true, "leave_after_quiet_ms": 3000 }
            """),
        () => new WavRtc());

    /// <inheritdoc/>
    public Task Completion => _completion.Task;

    /// <summary>Frames played in (silence included).</summary>
    public long FramesSent => _source.FramesSent;

    /// <summary>Frames written to the output file.</summary>
    public long FramesWritten => _sink.FramesWritten;

    /// <summary><c>flush</c> commands received.</summary>
    public long Flushes => _sink.Flushes;

    /// <summary>Whole collector messages written to the data file.</summary>
    public long DataMessages => _dataLog?.Messages ?? 0;

    /// <summary>Reads the input file, checks the outputs' properties and opens the data file.</summary>
    public override async Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        var sourceProperties = InnerExtensionEnv.Pick(env.Properties, SourceProperties);
        sourceProperties["send_user_joined"] = true;
        sourceProperties["loop"] = false;
        _sourceEnv = new InnerExtensionEnv(env, sourceProperties);
        _sinkEnv = new InnerExtensionEnv(env, InnerExtensionEnv.Pick(env.Properties, SinkProperties));
        _sendUserLeft = PropertyReader.Bool(env, "send_user_left", true);
        _leaveAfterQuiet = TimeSpan.FromMilliseconds(PropertyReader.Int64(env, "leave_after_quiet_ms", 3000, 0, 600_000));
        await _source.OnInitAsync(_sourceEnv, cancellationToken).ConfigureAwait(false);
        await _sink.OnInitAsync(_sinkEnv, cancellationToken).ConfigureAwait(false);
        _dataPath = PropertyReader.String(env, "data_path");
        _dataLog = new CollectorDataLog(_dataPath);
    }

    /// <summary>Starts playing the input; the user leaves once it is done and the answer is quiet.</summary>
    public override async Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastOutputTimestamp, TimeProvider.System.GetTimestamp());
        await _source.OnStartAsync(_sourceEnv!, cancellationToken).ConfigureAwait(false);
        _leaving = Task.Run(() => LeaveWhenDoneAsync(env, _stopping.Token), CancellationToken.None);
    }

    /// <inheritdoc/>
    public override ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastOutputTimestamp, TimeProvider.System.GetTimestamp());
        return _sink.OnAudioFrameAsync(_sinkEnv!, frame, cancellationToken);
    }

    /// <summary>Answers <c>flush</c> as the sink does (the output file is complete as it stands); any other command is OK, ignored.</summary>
    public override Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.Name == "flush")
        {
            return _sink.OnCmdAsync(_sinkEnv!, cmd, cancellationToken);
        }
        LogIgnoredCmd(env.Logger, env.Name, cmd.Name);
        return Task.FromResult(CmdResult.Ok());
    }

    /// <summary>Keeps the message collector's chunks, decoded; a malformed one is counted and logged once, never fatal.</summary>
    public override ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Name != "data" || _dataLog is null)
        {
            return ValueTask.CompletedTask;
        }
        try
        {
            _dataLog.Add(data.GetString("data") ?? throw new FormatException("the data message has no string property 'data'."));
        }
        catch (FormatException ex)
        {
            if (Interlocked.Increment(ref _badData) == 1)
            {
                LogBadData(env.Logger, env.Name, ex.Message);
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops playing and closes the output files.</summary>
    public override async Task OnStopAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _source.OnStopAsync(_sourceEnv!, cancellationToken).ConfigureAwait(false);
        await _leaving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _sink.OnStopAsync(_sinkEnv!, cancellationToken).ConfigureAwait(false);
        _dataLog?.Dispose();
        LogClosed(env.Logger, env.Name, DataMessages, _dataPath);
    }

    /// <inheritdoc/>
    public override async Task OnDeinitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        await _source.OnDeinitAsync(_sourceEnv!, cancellationToken).ConfigureAwait(false);
        _dataLog?.Dispose(); // closed at stop already, unless another extension's init failed and this one never started
        _stopping.Dispose();
    }

    private async Task LeaveWhenDoneAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        try
        {
            await _source.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastOutputTimestamp, TimeProvider.System.GetTimestamp());
            // The answer may still be coming: the user hangs up once it has been quiet for a while.
            while (TimeProvider.System.GetElapsedTime(Interlocked.Read(ref _lastOutputTimestamp)) < _leaveAfterQuiet)
            {
                await Task.Delay(QuietPoll, cancellationToken).ConfigureAwait(false);
            }
            if (_sendUserLeft)
            {
                var left = await env.SendCmdAsync(new Cmd("on_user_left"), cancellationToken).ConfigureAwait(false);
                if (left.Status == StatusCode.Error)
                {
                    LogUserLeftRefused(env.Logger, env.Name, left.Detail);
                }
            }
            _completion.TrySetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _completion.TrySetCanceled(cancellationToken);
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Extension}: the command '{Cmd}' is answered OK and otherwise ignored.")]
    private static partial void LogIgnoredCmd(ILogger logger, string extension, string cmd);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: a data message is not a collector chunk (later ones are counted, not logged): {Reason}")]
    private static partial void LogBadData(ILogger logger, string extension, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Extension}: on_user_left was not accepted: {Detail}")]
    private static partial void LogUserLeftRefused(ILogger logger, string extension, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: wrote {Path}: {Messages} whole message(s) from the collector.")]
    private static partial void LogClosed(ILogger logger, string extension, long messages, string path);
}
