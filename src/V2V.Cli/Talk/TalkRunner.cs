using V2V.Audio;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Voice;
using V2V.Voice.Outputs;

namespace V2V.Cli.Talk;

/// <summary>
/// <c>v2v talk</c>: a WAV of any rate and channel count is the user's side of the conversation; the agent's
/// answers are printed as they come and written as a WAV and JSON lines. In real time it is a conversation: the
/// agent's voice is played at its pace (a barge-in cuts it where the listener was), the session reconnects when
/// the connection drops, and every failure ends the run with one line and an exit code.
/// </summary>
internal static class TalkRunner
{
    private const int FrameMs = 20;

    public static async Task<int> RunAsync(TalkSettings settings, TextWriter console, CancellationToken cancellationToken)
    {
        try
        {
            return await TalkAsync(settings, console, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.WriteLine("v2v talk: cancelled.");
            return TalkExitCode.Cancelled;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A command line says what went wrong in one line; a stack trace helps no one who runs it.
            console.WriteLine($"v2v talk: {FirstLine(ex.Message)}");
            return TalkExitCode.Failed;
        }
    }

    private static async Task<int> TalkAsync(TalkSettings settings, TextWriter console, CancellationToken cancellationToken)
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
                // In real time the agent's voice is heard at its pace: what a barge-in cuts was not heard, and the
                // truncate and the transcript say so. --fast has no listener: all that arrives counts as heard.
                PaceOutput = !settings.Fast,
                InputTranscript = true,
                OutputSampleRate = settings.OutputRate,
                Voice = settings.Voice,
                Instructions = settings.Instructions,
                Reconnect = true,
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RealtimeAuthenticationException ex)
        {
            console.WriteLine($"v2v talk: the realtime service at {ex.Endpoint} refused the key ({ex.StatusAndReason}). Check {settings.KeySource}.");
            return TalkExitCode.KeyRefused;
        }
        catch (RealtimeConfigurationException ex)
        {
            console.WriteLine($"v2v talk: {Commands.ConnectionOptions.FlagOf(ex.Option)}: {ex.Message}");
            return TalkExitCode.BadInput;
        }
        catch (ArgumentException ex)
        {
            console.WriteLine($"v2v talk: {ex.Message}");
            return TalkExitCode.BadInput;
        }
        catch (RealtimeHandshakeException ex)
        {
            console.WriteLine($"v2v talk: {ex.Message}{(ex.Attempts > 1 ? $" (tried {ex.Attempts} times)" : "")}");
            return ex.StatusCode == 429 ? TalkExitCode.RateLimited : TalkExitCode.Unreachable;
        }

        await using (session.ConfigureAwait(false))
        {
            var clock = new InputClock(TimeProvider.System);
            using var conversation = new TalkConversation(session, settings, console, clock, TimeProvider.System);
            // Read to the end whatever happens: the outputs end when the session stops or is disposed.
            var reading = conversation.ReadAsync(CancellationToken.None);
            int? code = null;
            try
            {
                if (await SendAsync(session, samples, input.SampleRate, channels, settings, clock, conversation, cancellationToken).ConfigureAwait(false))
                {
                    code = await conversation.WaitForAnswersAsync(settings.TurnMode == TurnMode.Manual, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                code = TalkExitCode.Cancelled;
            }
            await session.DisposeAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
            // The session stopped while the input was sent: now that every output was read, its fatal error has been seen.
            var exitCode = code ?? conversation.StoppedOrTimedOut();
            // The answer lines up with the input to its end, or to where the talk stopped.
            var inputLength = TimeSpan.FromSeconds((double)samples.Length / channels / input.SampleRate);
            conversation.Finish(clock.Elapsed < inputLength ? clock.Elapsed : inputLength);
            if (exitCode == TalkExitCode.Cancelled)
            {
                console.WriteLine("v2v talk: cancelled.");
            }
            return exitCode;
        }
    }

    /// <summary>
    /// Frame by frame, in real time (a natural conversation) or as fast as the session takes it (--fast). False when
    /// the session stopped meanwhile (its fatal error is the conversation's to report): nothing more is sent.
    /// </summary>
    private static async Task<bool> SendAsync(VoiceSession session, short[] samples, int rate, int channels, TalkSettings settings, InputClock clock, TalkConversation conversation, CancellationToken cancellationToken)
    {
        var frame = rate * FrameMs / 1000 * channels;
        var total = TimeSpan.FromSeconds((double)samples.Length / channels / rate);
        var progress = new ProgressLine(total);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, conversation.Stopped);
        var ct = sending.Token;
        // Trailing silence lets the server's VAD hear the end of the last turn.
        var padded = new short[samples.Length + rate * channels];
        samples.CopyTo(padded, 0);
        try
        {
            clock.Start();
            for (var at = 0; at < padded.Length; at += frame)
            {
                if (session.State == VoiceSessionState.Stopped)
                {
                    return false;
                }
                var count = Math.Min(frame, padded.Length - at);
                await session.SendAudioAsync(Pcm16.AsBytes(padded.AsSpan(at, count)).ToArray(), rate, channels, ct).ConfigureAwait(false);
                var sent = TimeSpan.FromSeconds((double)(at + count) / channels / rate);
                progress.Report(sent < total ? sent : total);
                var ahead = sent - clock.Elapsed;
                if (!settings.Fast && ahead > TimeSpan.Zero)
                {
                    await Task.Delay(ahead, ct).ConfigureAwait(false);
                }
            }
            if (settings.TurnMode == TurnMode.Manual)
            {
                await session.EndTurnAsync(ct).ConfigureAwait(false);
            }
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false; // the session stopped between the check and the send
        }
        catch (OperationCanceledException) when (conversation.Stopped.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
