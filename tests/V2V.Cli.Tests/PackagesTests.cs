using System.IO.Compression;
using Microsoft.Playwright;
using V2V.Testing.Browser;

namespace V2V.Cli.Tests;

/// <summary>
/// The libraries as a .NET developer takes them: NuGet packages in a folder, and apps of their own outside the
/// repository (samples/, with its nuget.config) restored and built from them, then run: a console app that talks to the
/// local realtime server with the turns detected here by Silero, whose model must come with the packages; an ASP.NET
/// Core app that serves a voice agent and its browser client.
/// </summary>
public sealed class PackagesTests(PackedSamples packed) : IClassFixture<PackedSamples>
{
    [Fact]
    public async Task TheSampleApp_BuiltFromThePackages_AnswersASpokenQuestion_WithTheSileroModelInItsOutput()
    {
        using (var audio = ZipFile.OpenRead(Path.Combine(packed.Artifacts, "V2V.Audio.0.1.0.nupkg")))
        {
            var entries = audio.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("models/silero_vad_v5.onnx", entries);
            Assert.Contains("buildTransitive/V2V.Audio.targets", entries);
            Assert.Contains("THIRD-PARTY-NOTICES.txt", entries); // the model's license goes with it
            Assert.Contains("README.md", entries);
        }
        var output = await packed.BuildAsync("ConsoleAgent");
        Assert.True(File.Exists(Path.Combine(output, "models", "silero_vad_v5.onnx")), "the Silero model is not in the app's output");

        var answer = Path.Combine(packed.Work, "answer.wav");
        var (ran, said) = await PackedSamples.DotnetAsync(packed.Work, PackedSamples.NoVariables, Path.Combine(output, "ConsoleAgent.dll"), Path.Combine(RepositoryFiles.Root(), "graphs", "audio", "question.wav"), answer);

        Assert.True(ran == 0, $"the sample app exited with {ran}:\n{said}");
        Assert.Contains("local realtime server", said, StringComparison.Ordinal);
        Assert.Contains("assistant: I heard", said, StringComparison.Ordinal);
        var heard = V2V.Audio.WavReader.ReadFile(answer);
        Assert.Equal(16000, heard.SampleRate);
        Assert.True(heard.Duration > TimeSpan.FromSeconds(1), $"the answer's audio lasts {heard.Duration}");

        var (refused, why) = await PackedSamples.DotnetAsync(packed.Work, PackedSamples.NoVariables, Path.Combine(output, "ConsoleAgent.dll"), Path.Combine(packed.Work, "missing.wav"));
        Assert.Equal(2, refused);
        Assert.Contains("missing.wav", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWebSampleApp_BuiltFromThePackages_ServesItsPageAndTheClient_AndGreetsAndAnswersAPage()
    {
        var output = await packed.BuildAsync("WebAgent");
        await using var web = await WebSample.StartAsync(Path.Combine(output, "WebAgent.dll"), Path.Combine(packed.Work, "samples", "WebAgent"));
        using var http = new HttpClient { BaseAddress = web.Url };

        var page = await http.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("/voice/voice-agent.js", page, StringComparison.Ordinal);
        var client = await http.GetStringAsync("/voice/voice-agent.js", TestContext.Current.CancellationToken);
        Assert.Contains("export class VoiceAgent", client, StringComparison.Ordinal);

        var said = await web.TalkAsync("Is anyone there?");
        Assert.Equal("Hello! What can I do for you?", said[0]);
        Assert.Contains("Is anyone there?", said[1], StringComparison.Ordinal);
        Assert.Contains("local realtime server", web.Log, StringComparison.Ordinal);
        // The sample's server-side tool: the local server calls a tool a user's text names, and answers with its output.
        var timed = await web.TalkAsync("Please use get_time");
        Assert.Matches(@"get_time returned: \d\d:\d\d", timed[1]);
    }

    [Fact]
    public async Task TheBlazorSampleApp_BuiltFromThePackages_TalksInABrowser_AndRunsItsToolWrittenInCSharp()
    {
        var output = await packed.BuildAsync("BlazorAgent");
        await using var web = await WebSample.StartAsync(Path.Combine(output, "BlazorAgent.dll"), Path.Combine(packed.Work, "samples", "BlazorAgent"));
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync(web.Url);
        await page.GotoAsync(web.Url.ToString());

        // The page answers clicks once its circuit is up; then the agent starts in it, from the click.
        await page.Locator("#interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.ClickAsync("#start");
        await page.Locator("#state", new() { HasText = "listening" }).WaitForAsync();
        await page.FillAsync("#text", "Please set_theme dark");
        await page.ClickAsync("#send");

        // The agent called the page's tool, written in C#: it changed the page, and the answer reports its output.
        await page.Locator("#page[data-theme=dark]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("li.assistant", new() { HasText = "theme is now dark" }).WaitForAsync();
        await page.ClickAsync("#stop");
        await page.Locator("#state", new() { HasText = "stopped" }).WaitForAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.v2vTestMicrophone.liveTracks()")); // the microphone released
    }

    [Fact]
    public void ThePackagesSolutionFilter_ListsEveryProjectThatIsAPackage()
    {
        // The README packs with V2V.Packages.slnf: a library left out of it would be missing from artifacts/, and an app
        // that depends on it would not restore.
        var root = RepositoryFiles.Root();
        using var filter = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "V2V.Packages.slnf")));
        var listed = filter.RootElement.GetProperty("solution").GetProperty("projects").EnumerateArray().Select(p => p.GetString()!).Order().ToList();
        var packable = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(project => !File.ReadAllText(project).Contains("<IsPackable>false</IsPackable>", StringComparison.Ordinal))
            .Select(project => Path.GetRelativePath(root, project).Replace(Path.DirectorySeparatorChar, '/'))
            .Order().ToList();

        Assert.Equal(packable, listed);
        Assert.All(listed, project => Assert.True(File.Exists(Path.Combine(root, project)), project));
    }
}
