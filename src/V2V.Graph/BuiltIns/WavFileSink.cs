using System.Buffers;
using Microsoft.Extensions.Logging;
using V2V.Audio;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// <c>wav_file_sink</c>: writes the <c>pcm_frame</c> frames it receives to a pcm16 WAV file, at <c>sample_rate</c>
/// (0: the first frame's rate; frames at another rate are resampled) with the first frame's channel count. Answers
/// <c>flush</c> (barge-in) with OK, counting it and making the file complete as it stands. Closes the file on stop.
/// </summary>
public sealed partial class WavFileSink : Extension
{
    /// <summary>The addon name.</summary>
    public const string AddonName = "wav_file_sink";

    private string _path = "";
    private int _configuredRate;
    private WavWriter? _writer;
    private int _channels;
    private AudioResampler[] _resamplers = [];
    private long _framesWritten, _flushes, _framesSkipped;

    /// <summary>The addon: manifest, property.json defaults, factory.</summary>
    public static ExtensionAddon Addon() => new(AddonName, BuiltInManifest.Create(
            AddonName,
            new Dictionary<string, string> { ["path"] = "string", ["sample_rate"] = "int64" },
            required: ["path"],
            cmdIn: ["flush"],
            audioFrameIn: ["pcm_frame"]),
        BuiltInManifest.Defaults("""{ "sample_rate": 0 }"""),
        () => new WavFileSink());

    /// <summary>Frames written.</summary>
    public long FramesWritten => Interlocked.Read(ref _framesWritten);

    /// <summary><c>flush</c> commands received.</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Frames skipped because their channel count differs from the file's.</summary>
    public long FramesSkipped => Interlocked.Read(ref _framesSkipped);

    /// <inheritdoc/>
    public override Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        _path = PropertyReader.String(env, "path");
        _configuredRate = (int)PropertyReader.Int64(env, "sample_rate", 0, 0, AudioResampler.MaxSampleRate);
        if (_configuredRate is > 0 and < AudioResampler.MinSampleRate)
        {
            throw new TenPropertyException("sample_rate", $"{env.Name}: property 'sample_rate' must be 0 or between {AudioResampler.MinSampleRate} and {AudioResampler.MaxSampleRate}, got {_configuredRate}.");
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(frame);
        using var received = frame; // the receiver disposes: the samples are written before this returns
        var writer = _writer ??= Open(env, _configuredRate > 0 ? _configuredRate : frame.SampleRate, frame.Channels);
        if (frame.Channels != _channels)
        {
            if (Interlocked.Increment(ref _framesSkipped) == 1)
            {
                LogChannelMismatch(env.Logger, env.Name, frame.Channels, _channels);
            }
            return ValueTask.CompletedTask;
        }
        var samples = Pcm16.AsSamples(frame.Buffer.Span);
        if (frame.SampleRate == writer.SampleRate)
        {
            writer.Write(samples);
        }
        else
        {
            WriteResampled(writer, samples, frame.SampleRate);
        }
        Interlocked.Increment(ref _framesWritten);
        return ValueTask.CompletedTask;
    }

    /// <summary>Answers <c>flush</c>: OK, counted; the file is made complete as it stands.</summary>
    public override Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.Name != "flush")
        {
            return base.OnCmdAsync(env, cmd, cancellationToken);
        }
        var count = Interlocked.Increment(ref _flushes);
        _writer?.Flush();
        LogFlush(env.Logger, env.Name, count, cmd.Source);
        return Task.FromResult(CmdResult.Ok());
    }

    /// <summary>Closes the file (its header gets the final sizes).</summary>
    public override async Task OnStopAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (_writer is null && _configuredRate > 0)
        {
            // Nothing came, but the rate is known: an empty file says so better than a missing one.
            _writer = Open(env, _configuredRate, 1);
        }
        if (_writer is null)
        {
            LogNothing(env.Logger, env.Name, _path);
            return;
        }
        var samples = _writer.SamplesWritten / _channels;
        var rate = _writer.SampleRate;
        await _writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        LogClosed(env.Logger, env.Name, _path, (double)samples / rate, FramesWritten, Flushes);
    }

    private WavWriter Open(ITenEnv env, int sampleRate, int channels)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(_path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _channels = channels;
        LogOpened(env.Logger, env.Name, _path, sampleRate, channels);
        return WavWriter.Create(_path, sampleRate, channels);
    }

    // One resampler per channel, made again when the incoming rate changes; channels are split and joined through pooled buffers.
    private void WriteResampled(WavWriter writer, ReadOnlySpan<short> interleaved, int inputRate)
    {
        if (_resamplers.Length == 0 || _resamplers[0].InputSampleRate != inputRate)
        {
            _resamplers = [.. Enumerable.Range(0, _channels).Select(_ => new AudioResampler(inputRate, writer.SampleRate))];
        }
        var perChannel = interleaved.Length / _channels;
        var outMax = _resamplers[0].GetMaxOutputCount(perChannel);
        var input = ArrayPool<short>.Shared.Rent(perChannel);
        var output = ArrayPool<short>.Shared.Rent(outMax * _channels);
        var channelOut = ArrayPool<short>.Shared.Rent(outMax);
        try
        {
            var produced = 0;
            for (var c = 0; c < _channels; c++)
            {
                for (var i = 0; i < perChannel; i++)
                {
                    input[i] = interleaved[i * _channels + c];
                }
                produced = _resamplers[c].Process(input.AsSpan(0, perChannel), channelOut.AsSpan(0, outMax));
                for (var i = 0; i < produced; i++)
                {
                    output[i * _channels + c] = channelOut[i];
                }
            }
            writer.Write(output.AsSpan(0, produced * _channels));
        }
        finally
        {
            ArrayPool<short>.Shared.Return(input);
            ArrayPool<short>.Shared.Return(output);
            ArrayPool<short>.Shared.Return(channelOut);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: writing {Path} at {SampleRate} Hz, {Channels} channel(s).")]
    private static partial void LogOpened(ILogger logger, string extension, string path, int sampleRate, int channels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: a frame has {Channels} channel(s), the file {FileChannels}; such frames are skipped (logged once).")]
    private static partial void LogChannelMismatch(ILogger logger, string extension, int channels, int fileChannels);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: flush #{Count} from {Source}.")]
    private static partial void LogFlush(ILogger logger, string extension, long count, string? source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Extension}: no audio frame arrived; {Path} was not written.")]
    private static partial void LogNothing(ILogger logger, string extension, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: wrote {Path}: {Seconds:F2} s, {Frames} frames, {Flushes} flush(es).")]
    private static partial void LogClosed(ILogger logger, string extension, string path, double seconds, long frames, long flushes);
}
