using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Sdk;

using V2V.Testing.Browser;

namespace V2V.Playground.Tests.Support;

/// <summary>The playground page as a test drives it: settings, Start and Stop, and waits on what the page measured (window.v2vStats).</summary>
internal sealed class PlaygroundPage(IPage page)
{
    /// <summary>A guard only: a test that works finishes far sooner; one that does not fails with the page's state.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public IPage Page { get; } = page;

    public async Task OpenAsync(Uri url)
    {
        await Page.GotoAsync(url.ToString());
        await WaitForAsync("window.v2vStats && window.v2vStats.backend !== null", "the backend label from /api/info");
    }

    public async Task StartAsync(string voice = "alloy", string turnMode = "server_vad", string instructions = "")
    {
        await Page.GetByLabel("Voice").SelectOptionAsync(voice);
        await Page.GetByLabel("Turn detection").SelectOptionAsync(turnMode);
        await Page.GetByLabel("Instructions").FillAsync(instructions);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
    }

    /// <summary>
    /// Speaks a WAV into the page's microphone once the page listens (the server's <c>ready</c> has connected the
    /// microphone) after the agent's greeting (said to whoever joins, as TEN's original does; speech over it would be a
    /// barge-in), or once <paramref name="when"/> holds; returns as it starts playing: what the test waits for next is
    /// the page's answer.
    /// </summary>
    public async Task SpeakAsync(string wavPath, string when = "s.state === 'listening' && s.transcript.some(t => t.role === 'assistant' && t.final)",
        string what = "the page listening (the server's graph ready) after the greeting")
    {
        await WaitForAsync(when, what);
        var wav = Convert.ToBase64String(await File.ReadAllBytesAsync(wavPath));
        await Page.EvaluateAsync("wav => window.v2vTestMicrophone.speak(wav)", wav);
    }

    public Task StopAsync() => Page.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();

    /// <summary>Waits until <paramref name="predicate"/> (JavaScript over <c>s</c> = window.v2vStats) is true.</summary>
    public async Task WaitForAsync(string predicate, string what)
    {
        var script = predicate.Contains("window.", StringComparison.Ordinal) ? $"() => {predicate}" : $"() => {{ const s = window.v2vStats; return {predicate}; }}";
        try
        {
            await Page.WaitForFunctionAsync(script, null, new PageWaitForFunctionOptions { Timeout = (float)Patience.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
            throw new XunitException($"The page never showed {what} within {Patience.TotalSeconds:F0} s. Its stats: {await StatsJsonAsync()} Its microphone: {await MicrophoneJsonAsync()}");
        }
    }

    public Task<string> StatsJsonAsync() => Page.EvaluateAsync<string>("() => JSON.stringify(window.v2vStats)");

    /// <summary>What the <see cref="TestMicrophone"/> did: how often the page opened it, when (page time, ms) the test spoke and for how long.</summary>
    public Task<string> MicrophoneJsonAsync() =>
        Page.EvaluateAsync<string>("() => { const m = window.v2vTestMicrophone; return JSON.stringify(m && { opened: m.streams.length, spoken: m.spoken, now: Math.round(performance.now()) }); }");

    public async Task<JsonElement> StatsAsync() => JsonDocument.Parse(await StatsJsonAsync()).RootElement;

    public Task<string> TextAsync(string selector) => Page.Locator(selector).InnerTextAsync();
}
