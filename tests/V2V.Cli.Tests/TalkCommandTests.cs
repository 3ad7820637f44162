using System.Text.Json;
using V2V.Audio;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Cli.Tests;

/// <summary><c>v2v talk</c> on WAV files of every common rate and channel count, and on bad input.</summary>
public sealed class TalkCommandTests : IAsyncLifetime
{
    private const string Question = "What is the weather in Paris today?";
    private readonly string _folder = Directory.CreateTempSubdirectory("v2v-cli-").FullName;
    private LocalRealtimeServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { SpeedFactor = 20 }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(8000, 1)]
    [InlineData(8000, 2)]
    [InlineData(16000, 1)]
    [InlineData(16000, 2)]
    [InlineData(24000, 1)]
    [InlineData(24000, 2)]
    [InlineData(44100, 1)]
    [InlineData(44100, 2)]
    [InlineData(48000, 1)]
    [InlineData(48000, 2)]
    public async Task Talk_AnswersAWavOfAnyRateAndChannels(int rate, int channels)
    {
        var input = Speech.WriteWav(Path.Combine(_folder, $"q{rate}x{channels}.wav"), Question, rate, channels, trailingSilenceMs: 500);
        var answer = Path.Combine(_folder, $"a{rate}x{channels}.wav");
        var transcript = Path.Combine(_folder, $"t{rate}x{channels}.jsonl");

        var (code, output) = await CliProcess.RunAsync("talk", "--input", input, "--output", answer, "--transcript", transcript, "--fast",
            "--base-uri", _server.BaseUri.ToString());

        Assert.True(code == 0, output);
        Assert.Contains("agent: I heard", output, StringComparison.Ordinal);
        var audio = WavReader.ReadFile(answer);
        Assert.Equal((24000, 1), (audio.SampleRate, audio.Channels));
        Assert.InRange(audio.Duration.TotalSeconds, Speech.Say(Question).Duration.TotalSeconds * 0.8, 6);
        var lines = File.ReadAllLines(transcript).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(lines, l => l.GetProperty("role").GetString() == "user");
        Assert.Contains(lines, l => l.GetProperty("role").GetString() == "assistant" && l.GetProperty("is_final").GetBoolean());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task QuotaExhausted_EndsTheTalk_WithExitCode7_AndTheServicesReason(bool fast)
    {
        await using var server = await LocalRealtimeServer.StartAsync(
            new LocalRealtimeServerOptions { SpeedFactor = 20, Faults = { FailResponsesWith = "insufficient_quota" } }, TestContext.Current.CancellationToken);
        var input = Speech.WriteWav(Path.Combine(_folder, "quota.wav"), Question, 16000, 1, trailingSilenceMs: 500);

        var (code, output) = await CliProcess.RunAsync(["talk", "--input", input, "--base-uri", server.BaseUri.ToString(), .. fast ? new[] { "--fast" } : []]);

        Assert.True(code == 7, output);
        Assert.Contains("exceeded your current quota", Assert.Single(output.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAWav_IsRefused_WithExitCode2()
    {
        var path = Path.Combine(_folder, "notes.wav");
        await File.WriteAllTextAsync(path, "these are not samples", TestContext.Current.CancellationToken);

        var (code, output) = await CliProcess.RunAsync("talk", "--input", path, "--base-uri", _server.BaseUri.ToString());

        Assert.Equal(2, code);
        Assert.Contains("RIFF", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedEncoding_IsRefused_NamingIt()
    {
        var path = Path.Combine(_folder, "adpcm.wav");
        await File.WriteAllBytesAsync(path, AdpcmWav(), TestContext.Current.CancellationToken);

        var (code, output) = await CliProcess.RunAsync("talk", "--input", path, "--base-uri", _server.BaseUri.ToString());

        Assert.Equal(2, code);
        Assert.Contains("unsupported", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MissingFile_IsRefused()
    {
        var (code, output) = await CliProcess.RunAsync("talk", "--input", Path.Combine(_folder, "nothing.wav"), "--base-uri", _server.BaseUri.ToString());

        Assert.Equal(2, code);
        Assert.Contains("nothing.wav", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableEndpoint_ExitsWith3()
    {
        var input = Speech.WriteWav(Path.Combine(_folder, "q.wav"), Question, 16000, 1);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, output) = await CliProcess.RunAsync("talk", "--input", input, "--base-uri", $"ws://127.0.0.1:{port}");

        Assert.Equal(3, code);
        Assert.Contains($"127.0.0.1:{port}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedKey_ExitsWith4_WithoutShowingTheKey()
    {
        await using var guarded = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions { ApiKey = "the-right-key" }, TestContext.Current.CancellationToken);
        var input = Speech.WriteWav(Path.Combine(_folder, "q.wav"), Question, 16000, 1);

        var (code, output) = await CliProcess.RunAsync("talk", "--input", input, "--base-uri", guarded.BaseUri.ToString(), "--api-key", "sk-wrong-key-123");

        Assert.Equal(4, code);
        // One line, with the service's own reason and the key masked.
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("v2v talk:", StringComparison.Ordinal));
        Assert.Contains("refused the key (HTTP 401: Incorrect API key provided: sk-***", line, StringComparison.Ordinal);
        Assert.EndsWith("Check --api-key.", line.TrimEnd(), StringComparison.Ordinal); // in the command line's words
        Assert.DoesNotContain("sk-wrong-key-123", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimitedEveryTime_ExitsWith8_AfterTheBoundedAttempts_WithTheServicesReason()
    {
        await using var limited = await LocalRealtimeServer.StartAsync(new LocalRealtimeServerOptions
        {
            Faults = { RefuseHandshakeStatusCode = 429, RefuseHandshakeRetryAfter = TimeSpan.FromSeconds(1) },
        }, TestContext.Current.CancellationToken);
        var input = Speech.WriteWav(Path.Combine(_folder, "q.wav"), Question, 16000, 1);

        var (code, output) = await CliProcess.RunAsync("talk", "--input", input, "--base-uri", limited.BaseUri.ToString());

        Assert.Equal(8, code);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("v2v talk:", StringComparison.Ordinal));
        Assert.Contains("HTTP 429: Rate limit reached for requests", line, StringComparison.Ordinal);
        Assert.Contains("wait 1 s", line, StringComparison.Ordinal);
        Assert.Contains("(tried 3 times)", line, StringComparison.Ordinal); // the first connection and its two retries
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheVerbs()
    {
        var (code, output) = await CliProcess.RunAsync("--help");

        Assert.Equal(0, code);
        foreach (var verb in new[] { "talk", "serve", "simulator", "graph" })
        {
            Assert.Matches($@"(?m)^\s+{verb}\s", output);
        }
    }

    [Fact]
    public async Task TalkHelp_NamesEveryExitCode()
    {
        var (code, output) = await CliProcess.RunAsync("talk", "--help");

        Assert.Equal(0, code);
        var help = string.Join(" ", output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)); // as wrapped to the console
        var constants = typeof(V2V.Cli.Talk.TalkExitCode).GetFields().Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!).ToList();
        Assert.Equal(constants.Order(), V2V.Cli.Talk.TalkExitCode.All.Select(c => c.Code).Order());
        foreach (var (exitCode, meaning) in V2V.Cli.Talk.TalkExitCode.All)
        {
            Assert.Contains($"{exitCode} {meaning}", help, StringComparison.Ordinal);
        }
    }

    /// <summary>A WAV header of IMA ADPCM (format tag 0x11), which the reader does not decode.</summary>
    private static byte[] AdpcmWav()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8);
        w.Write(36 + 256);
        w.Write("WAVE"u8);
        w.Write("fmt "u8);
        w.Write(16);
        w.Write((short)0x11);
        w.Write((short)1);
        w.Write(16000);
        w.Write(8000);
        w.Write((short)256);
        w.Write((short)4);
        w.Write("data"u8);
        w.Write(256);
        w.Write(new byte[256]);
        w.Flush();
        return stream.ToArray();
    }
}
