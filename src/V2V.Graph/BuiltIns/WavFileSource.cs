using Microsoft.Extensions.Logging;
using V2V.Audio;
using V2V.Frames;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.BuiltIns;

/// <summary>
/// <c>wav_file_source</c>: plays a WAV file into the graph as <c>pcm_frame</c> audio frames (the file's own rate and
/// channels, pcm16), framed every <c>frame_ms</c>, paced at real time or as fast as the graph takes them, with optional
/// leading and trailing silence (trailing silence lets server VAD hear the end of the turn) and looping. Sends
/// <c>on_user_joined</c> first. Completes (<see cref="IGraphParticipant"/>) once everything is sent.
/// </summary>
public sealed partial class WavFileSource : Extension, IGraphParticipant
{
    /// <summary>The addon name.</summary>
    public const string AddonName = "wav_file_source";

    private const string FrameName = "pcm_frame";

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task _pump = Task.CompletedTask;
    private Settings? _settings;
    private byte[] _pcm = [];
    private int _sampleRate;
    private int _channels;
    private long _framesSent;

    /// <summary>The addon: manifest, property.json defaults, factory.</summary>
    public static ExtensionAddon Addon() => new(AddonName, BuiltInManifest.Create(
            AddonName,
            new Dictionary<string, string>
            {
                ["path"] = "string", ["frame_ms"] = "int64", ["realtime"] = "bool", ["stream_id"] = "int64",
                ["leading_silence_ms"] = "int64", ["trailing_silence_ms"] = "int64", ["send_user_joined"] = "bool", ["loop"] = "bool",
            },
            required: ["path"],
            cmdOut: ["on_user_joined"],
            audioFrameOut: [FrameName]),
        BuiltInManifest.Defaults("""
            { "frame_ms": 10, "realtime": true, "stream_id": 1234, "leading_silence_ms": 0, "trailing_silence_ms": 2000, "send_user_joined": true, "loop": false }
            """),
        () => new WavFileSource());

    /// <inheritdoc/>
    public Task Completion => _completion.Task;

    /// <summary>Frames sent so far (silence included).</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Reads and checks the properties and the whole file, so a bad path fails the graph at start.</summary>
    public override Task OnInitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        _settings = new Settings(
            PropertyReader.String(env, "path"),
            (int)PropertyReader.Int64(env, "frame_ms", 10, 1, 1000),
            PropertyReader.Bool(env, "realtime", true),
            PropertyReader.Int64(env, "stream_id", 1234),
            PropertyReader.Int64(env, "leading_silence_ms", 0, 0, 3_600_000),
            PropertyReader.Int64(env, "trailing_silence_ms", 2000, 0, 3_600_000),
            PropertyReader.Bool(env, "send_user_joined", true),
            PropertyReader.Bool(env, "loop", false));
        WavAudio audio;
        try
        {
            audio = WavReader.ReadFile(_settings.Path);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{AddonName}: cannot read the WAV file '{_settings.Path}' (property 'path'): {ex.Message}", ex);
        }
        // One copy of the whole file as bytes: frames are slices of it, so sending allocates no audio buffers.
        _pcm = Pcm16.AsBytes(audio.Samples.AsSpan()).ToArray();
        _sampleRate = audio.SampleRate;
        _channels = audio.Channels;
        LogLoaded(env.Logger, env.Name, _settings.Path, audio.Duration.TotalSeconds, _sampleRate, _channels);
        return Task.CompletedTask;
    }

    /// <summary>Starts sending in the background (the extension's loop stays free for commands).</summary>
    public override Task OnStartAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        _pump = Task.Run(() => PumpAsync(env, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops sending.</summary>
    public override async Task OnStopAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The pump ends by cancellation; its outcome is already in Completion.
        }
    }

    /// <inheritdoc/>
    public override Task OnDeinitAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    private async Task PumpAsync(ITenEnv env, CancellationToken cancellationToken)
    {
        var settings = _settings!;
        try
        {
            if (settings.SendUserJoined)
            {
                var joined = await env.SendCmdAsync(new Cmd("on_user_joined"), cancellationToken).ConfigureAwait(false);
                if (joined.Status == StatusCode.Error)
                {
                    LogUserJoinedRefused(env.Logger, env.Name, joined.Detail);
                }
            }
            var frameBytes = Math.Max(1, _sampleRate * settings.FrameMs / 1000) * _channels * 2;
            var silence = new byte[frameBytes];
            var clock = new Pacer(settings.Realtime, _sampleRate * _channels * 2);
            await SendSilenceAsync(env, silence, settings.LeadingSilenceMs, clock, cancellationToken).ConfigureAwait(false);
            do
            {
                for (var offset = 0; offset < _pcm.Length; offset += frameBytes)
                {
                    var chunk = _pcm.AsMemory(offset, Math.Min(frameBytes, _pcm.Length - offset));
                    await SendAsync(env, chunk, clock, cancellationToken).ConfigureAwait(false);
                }
                await SendSilenceAsync(env, silence, settings.TrailingSilenceMs, clock, cancellationToken).ConfigureAwait(false);
            }
            while (settings.Loop);
            LogDone(env.Logger, env.Name, FramesSent);
            _completion.TrySetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _completion.TrySetCanceled(cancellationToken);
        }
        catch (Exception ex)
        {
            LogFailed(env.Logger, env.Name, ex);
            _completion.TrySetException(ex);
        }
    }

    private async Task SendSilenceAsync(ITenEnv env, byte[] silence, long milliseconds, Pacer clock, CancellationToken cancellationToken)
    {
        var remaining = milliseconds * _sampleRate / 1000 * _channels * 2;
        while (remaining > 0)
        {
            var size = (int)Math.Min(silence.Length, remaining);
            await SendAsync(env, silence.AsMemory(0, size), clock, cancellationToken).ConfigureAwait(false);
            remaining -= size;
        }
    }

    private async Task SendAsync(ITenEnv env, ReadOnlyMemory<byte> pcm, Pacer clock, CancellationToken cancellationToken)
    {
        await clock.WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
        var frame = new AudioFrame(FrameName, pcm, _sampleRate, _channels) { Timestamp = clock.SentMilliseconds, StreamId = new AudioStreamId(_settings!.StreamId) };
        await env.SendAudioFrameAsync(frame, cancellationToken).ConfigureAwait(false);
        clock.Sent(pcm.Length);
        Interlocked.Increment(ref _framesSent);
    }

    private sealed record Settings(string Path, int FrameMs, bool Realtime, long StreamId, long LeadingSilenceMs, long TrailingSilenceMs, bool SendUserJoined, bool Loop);

    // Real-time pacing against one start time: each frame leaves when the audio before it has played, so delays never accumulate.
    private sealed class Pacer(bool realtime, int bytesPerSecond)
    {
        private readonly long _start = TimeProvider.System.GetTimestamp();
        private long _sentBytes;

        public long SentMilliseconds => _sentBytes * 1000 / bytesPerSecond;

        public void Sent(int bytes) => _sentBytes += bytes;

        public Task WaitForSlotAsync(CancellationToken cancellationToken)
        {
            if (!realtime)
            {
                return Task.CompletedTask;
            }
            var ahead = TimeSpan.FromSeconds((double)_sentBytes / bytesPerSecond) - TimeProvider.System.GetElapsedTime(_start);
            return ahead > TimeSpan.Zero ? Task.Delay(ahead, cancellationToken) : Task.CompletedTask;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: {Path}: {Seconds:F2} s at {SampleRate} Hz, {Channels} channel(s).")]
    private static partial void LogLoaded(ILogger logger, string extension, string path, double seconds, int sampleRate, int channels);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Extension}: on_user_joined was not accepted: {Detail}")]
    private static partial void LogUserJoinedRefused(ILogger logger, string extension, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Extension}: done, {Frames} frames sent.")]
    private static partial void LogDone(ILogger logger, string extension, long frames);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Extension}: sending failed.")]
    private static partial void LogFailed(ILogger logger, string extension, Exception exception);
}
