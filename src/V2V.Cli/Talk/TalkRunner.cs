using V2V.Audio;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.Cli.Talk;

/// <summary>
/// <c>v2v talk</c>: a WAV of any rate and channel count is the user's side of the conversation; the agent's
/// answers are printed as they come and written as a WAV and JSON lines.
/// </summary>
internal static class TalkRunner
{
    private const int FrameMs = 20;

    public static async Task<int> RunAsync(TalkSettings settings, TextWriter console, CancellationToken cancellationToken)
    {
        WavAudio input;
        try
        {
            input = WavReader.ReadFile(settings.Input.FullName);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException)
        {
            console.WriteLine($"v2v talk: cannot use {settings.Input.FullName}: {ex.Message}");
            return TalkExitCode.BadInput;
        }
        if (input.SampleRate is < 8000 or > 48000)
        {
            console.WriteLine($"v2v talk: {settings.Input.Name} is {input.SampleRate} Hz; input must be 8000 to 48000 Hz (resample it, e.g. sox in.wav -r 16000 out.wav).");
            return TalkExitCode.BadInput;
        }
        var channels = Math.Min(input.Channels, 8);
        var samples = channels == input.Channels ? input.Samples : input.ToMono();
        channels = channels == input.Channels ? channels : 1;

        if (settings.UseLocalServer)
        {
            settings.Connection.BaseUri = await EmbeddedRealtimeServer.GetAsync(cancellationToken).ConfigureAwait(false);
            console.WriteLine($"No API key: the local realtime server answers ({settings.Connection.BaseUri}).");
        }

        VoiceSession session;
        try
        {
            session = await VoiceSession.StartAsync(new VoiceSessionOptions
            {
                Connection = settings.Connection,
                TurnMode = settings.TurnMode,
                PaceOutput = false,
                InputTranscript = true,
                OutputSampleRate = settings.OutputRate,
                Voice = settings.Voice,
                Instructions = settings.Instructions,
                Reconnect = false,
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RealtimeAuthenticationException ex)
        {
            console.WriteLine($"v2v talk: {ex.Message}");
            return TalkExitCode.KeyRefused;
        }
        catch (RealtimeConfigurationException ex)
        {
            console.WriteLine($"v2v talk: {Commands.ConnectionOptions.FlagOf(ex.Option)}: {ex.Message}");
            return TalkExitCode.BadInput;
        }
        catch (RealtimeHandshakeException ex)
        {
            console.WriteLine($"v2v talk: {ex.Message}");
            return TalkExitCode.Unreachable;
        }

        await using (session.ConfigureAwait(false))
        {
            var conversation = new TalkConversation(session, settings, console);
            var reading = conversation.ReadAsync(cancellationToken);
            await SendAsync(session, samples, input.SampleRate, channels, settings, cancellationToken).ConfigureAwait(false);
            var code = await conversation.WaitForAnswersAsync(settings.TurnMode == TurnMode.Manual, cancellationToken).ConfigureAwait(false);
            await session.DisposeAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
            conversation.Finish();
            return code;
        }
    }

    /// <summary>Frame by frame, in real time (a natural conversation) or as fast as the session takes it (--fast).</summary>
    private static async Task SendAsync(VoiceSession session, short[] samples, int rate, int channels, TalkSettings settings, CancellationToken ct)
    {
        var frame = rate * FrameMs / 1000 * channels;
        var total = TimeSpan.FromSeconds((double)samples.Length / channels / rate);
        var progress = new ProgressLine(total);
        var started = System.Diagnostics.Stopwatch.StartNew();
        // Trailing silence lets the server's VAD hear the end of the last turn.
        var padded = new short[samples.Length + rate * channels];
        samples.CopyTo(padded, 0);
        for (var at = 0; at < padded.Length; at += frame)
        {
            var count = Math.Min(frame, padded.Length - at);
            await session.SendAudioAsync(Pcm16.AsBytes(padded.AsSpan(at, count)).ToArray(), rate, channels, ct).ConfigureAwait(false);
            var sent = TimeSpan.FromSeconds((double)(at + count) / channels / rate);
            progress.Report(sent < total ? sent : total);
            if (!settings.Fast && sent > started.Elapsed)
            {
                await Task.Delay(sent - started.Elapsed, ct).ConfigureAwait(false);
            }
        }
        if (settings.TurnMode == TurnMode.Manual)
        {
            await session.EndTurnAsync(ct).ConfigureAwait(false);
        }
    }
}
