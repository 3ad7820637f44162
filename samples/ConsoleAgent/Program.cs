// A realtime voice agent in a console app, built on the V2V packages. A WAV file is the microphone; the console shows
// what each side said; the agent's voice goes to a WAV file. With OPENAI_API_KEY set it talks to OpenAI; without one,
// to the local realtime server, started in this process. Turns are detected here with Silero VAD, whose model comes
// with the V2V.Audio package.
//
//   dotnet pack V2V.Packages.slnf -c Release -o artifacts     (at the repository's root: the packages)
//   dotnet run --project samples/ConsoleAgent -- graphs/audio/question.wav answer.wav
using System.Runtime.InteropServices;
using V2V.Audio;
using V2V.Realtime.Client;
using V2V.Simulator;
using V2V.Voice;
using V2V.Voice.Outputs;

if (args.Length is 0 or > 2)
{
    Console.Error.WriteLine("usage: ConsoleAgent <question.wav> [answer.wav]");
    return 2;
}
WavAudio question;
try
{
    question = WavReader.ReadFile(args[0]);
}
catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{args[0]}: {ex.Message}");
    return 2;
}

var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
await using var localServer = string.IsNullOrEmpty(apiKey) ? await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions()) : null;
var connection = localServer is null
    ? new RealtimeClientOptions { ApiKey = apiKey, Model = "gpt-realtime" }
    : new RealtimeClientOptions { BaseUri = localServer.BaseUri, Model = "gpt-realtime" };
Console.WriteLine(localServer is null ? "talking to OpenAI" : $"no OPENAI_API_KEY: talking to the local realtime server at {localServer.BaseUri}");

await using var session = await VoiceSession.StartAsync(new VoiceSessionOptions
{
    Connection = connection,
    Instructions = "You are a helpful assistant. Answer in one short sentence.",
    TurnMode = TurnMode.LocalVad,
    OutputSampleRate = 16000,
});

// The microphone: the file in 20 ms frames at the pace it was recorded, then silence, which ends the user's turn.
var microphone = Task.Run(async () =>
{
    var frameSamples = question.SampleRate / 50 * question.Channels;
    var silence = new short[frameSamples];
    using var clock = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
    for (var at = 0; at < question.Samples.Length + (question.SampleRate * question.Channels * 3); at += frameSamples)
    {
        var frame = at < question.Samples.Length ? question.Samples.AsSpan(at, Math.Min(frameSamples, question.Samples.Length - at)) : silence;
        await session.SendAudioAsync(MemoryMarshal.AsBytes(frame).ToArray(), question.SampleRate, question.Channels);
        await clock.WaitForNextTickAsync();
    }
});

// The speaker and the console. The agent's words come as it is heard: its final line once its last frame was played.
using var speaker = args.Length == 2 ? WavWriter.Create(args[1], 16000) : null;
using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
try
{
    await foreach (var output in session.ReadOutputsAsync(patience.Token))
    {
        if (output.TryGetAudio(out var frame))
        {
            using (frame)
            {
                speaker?.Write(MemoryMarshal.Cast<byte, short>(frame.Span));
            }
            continue;
        }
        switch (output.Event)
        {
            case TranscriptOutput { IsFinal: true } line:
                Console.WriteLine($"{line.Role.ToString().ToLowerInvariant()}: {line.Text}");
                if (line.Role == TranscriptRole.Assistant)
                {
                    await microphone;
                    return 0;
                }
                break;
            case ErrorOutput error:
                Console.Error.WriteLine($"error: {error.Message}");
                if (error.Fatal)
                {
                    return 1;
                }
                break;
        }
    }
}
catch (OperationCanceledException) when (patience.IsCancellationRequested)
{
}
Console.Error.WriteLine("no answer within 60 s");
return 5;
