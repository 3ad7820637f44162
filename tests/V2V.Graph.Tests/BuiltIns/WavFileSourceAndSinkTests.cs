using V2V.Audio;
using V2V.Graph.BuiltIns;
using V2V.Graph.Hosting;
using V2V.Graph.Tests.Support;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.BuiltIns;

public sealed class WavFileSourceAndSinkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static short[] Noise(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (short)random.Next(short.MinValue, short.MaxValue + 1))];
    }

    private static void WriteWav(string path, short[] samples, int rate, int channels)
    {
        using var writer = WavWriter.Create(path, rate, channels);
        writer.Write(samples);
    }

    private static async Task RunToEndAsync(RunningGraph graph)
    {
        await graph.WaitForCompletionAsync(TimeSpan.FromMilliseconds(20), Ct);
        await graph.StopAsync(Ct);
    }

    private static string SourceToSink(string input, string output, string sourceProperties = "", string sinkProperties = "") => $$"""
        { "nodes": [
            { "type": "extension", "name": "source", "addon": "wav_file_source",
              "property": { "path": "{{input}}", "realtime": false, "trailing_silence_ms": 0, "send_user_joined": false {{sourceProperties}} } },
            { "type": "extension", "name": "sink", "addon": "wav_file_sink", "property": { "path": "{{output}}" {{sinkProperties}} } } ],
          "connections": [ { "extension": "source", "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "sink" } ] } ] } ] }
        """;

    [Fact]
    public async Task SourceToSink_CopiesAStereoWavByteForByte()
    {
        using var dir = new TempDirectory();
        // 12345 stereo frames at 22050 Hz: not a whole number of 10 ms frames, so the last frame is short.
        WriteWav(dir.File("in.wav"), Noise(2 * 12345, 1), 22050, 2);

        var graph = await TestGraph.StartAsync(SourceToSink(dir.File("in.wav"), dir.File("out/copy.wav")), new Journal());
        await RunToEndAsync(graph);

        Assert.Equal(File.ReadAllBytes(dir.File("in.wav")), File.ReadAllBytes(dir.File("out/copy.wav")));
        Assert.Equal(57, graph.Get<WavFileSource>("source").FramesSent);
        Assert.Equal(57, graph.Get<WavFileSink>("sink").FramesWritten);
    }

    [Fact]
    public async Task Source_AddsLeadingAndTrailingSilence()
    {
        using var dir = new TempDirectory();
        var samples = Noise(1000, 2);
        WriteWav(dir.File("in.wav"), samples, 16000, 1);

        var graph = await TestGraph.StartAsync(
            SourceToSink(dir.File("in.wav"), dir.File("out.wav"), sourceProperties: """, "leading_silence_ms": 20, "trailing_silence_ms": 30""").Replace("\"trailing_silence_ms\": 0,", "", StringComparison.Ordinal),
            new Journal());
        await RunToEndAsync(graph);

        var output = WavReader.ReadFile(dir.File("out.wav")).Samples;
        Assert.Equal(320 + 1000 + 480, output.Length);
        Assert.All(output[..320], s => Assert.Equal(0, s));
        Assert.Equal(samples, output[320..1320]);
        Assert.All(output[1320..], s => Assert.Equal(0, s));
    }

    [Fact]
    public async Task Source_SendsOnUserJoinedFirst_ThenFramesWithStreamIdAndTimestamps()
    {
        using var dir = new TempDirectory();
        WriteWav(dir.File("in.wav"), Noise(1600, 3), 16000, 1);
        var journal = new Journal();

        await using var graph = await TestGraph.StartAsync($$"""
            { "nodes": [
                { "name": "source", "addon": "wav_file_source", "property": { "path": "{{dir.File("in.wav")}}", "realtime": false, "trailing_silence_ms": 0, "stream_id": 42 } },
                { "name": "v2v", "addon": "probe" } ],
              "connections": [ { "extension": "source",
                "cmd": [ { "name": "on_user_joined", "dest": [ { "extension": "v2v" } ] } ],
                "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "v2v" } ] } ] } ] }
            """, journal);
        await graph.WaitForCompletionAsync(TimeSpan.FromMilliseconds(20), Ct);

        var received = graph.Get<Probe>("v2v").Received;
        Assert.Equal("on_user_joined", Assert.IsType<Cmd>(received[0]).Name);
        var frames = received.Skip(1).Cast<AudioFrame>().ToList();
        Assert.Equal(10, frames.Count);
        Assert.All(frames, f => Assert.Equal(42, f.GetInt64("stream_id")));
        Assert.All(frames, f => Assert.Equal((16000, 1, 160), (f.SampleRate, f.Channels, f.SamplesPerChannel)));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 10L), frames.Select(f => f.Timestamp));
    }

    [Fact]
    public async Task Source_MissingFile_FailsTheStart_NamingTheNodeAndThePath()
    {
        using var dir = new TempDirectory();

        var ex = await Assert.ThrowsAsync<GraphRunException>(() => TestGraph.StartAsync(SourceToSink(dir.File("missing.wav"), dir.File("out.wav")), new Journal()));

        Assert.Contains("'source' failed to init", ex.Message, StringComparison.Ordinal);
        Assert.Contains("missing.wav", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'path'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sink_AnswersFlush_AndCountsIt()
    {
        using var dir = new TempDirectory();
        await using var graph = await TestGraph.StartAsync($$"""
            { "nodes": [ { "name": "v2v", "addon": "probe" }, { "name": "sink", "addon": "wav_file_sink", "property": { "path": "{{dir.File("a.wav")}}" } } ],
              "connections": [ { "extension": "v2v", "cmd": [ { "name": "flush", "dest": [ { "extension": "sink" } ] } ],
                                 "audio_frame": [ { "name": "pcm_frame", "dest": [ { "extension": "sink" } ] } ] } ] }
            """, new Journal());
        var v2v = await graph.Get<Probe>("v2v").Env;

        await v2v.SendAudioFrameAsync(TestFrames.Pcm(0), Ct);
        var first = await v2v.SendCmdAsync(new Cmd("flush"), Ct);
        var second = await v2v.SendCmdAsync(new Cmd("flush"), Ct);

        Assert.Equal((StatusCode.Ok, StatusCode.Ok), (first.Status, second.Status));
        Assert.Equal(2, graph.Get<WavFileSink>("sink").Flushes);
        // The flush wrote out what came so far: a 44-byte header and one frame of 160 samples.
        Assert.Equal(44 + 320, new FileInfo(dir.File("a.wav")).Length);
    }

    [Fact]
    public async Task Sink_ResamplesToItsConfiguredRate()
    {
        using var dir = new TempDirectory();
        WriteWav(dir.File("in.wav"), Noise(16000, 4), 16000, 1);

        var graph = await TestGraph.StartAsync(SourceToSink(dir.File("in.wav"), dir.File("out.wav"), sinkProperties: """, "sample_rate": 8000"""), new Journal());
        await RunToEndAsync(graph);

        var output = WavReader.ReadFile(dir.File("out.wav"));
        Assert.Equal(8000, output.SampleRate);
        Assert.InRange(output.Samples.Length, 7800, 8000);
    }
}
