using Microsoft.Playwright;

namespace V2V.Testing.Browser;

/// <summary>
/// Debian's chromium, headless, driven by Playwright (no browser download), for the tests of the pages (the playground's,
/// the voice agent's browser client). Each page's microphone is the <see cref="TestMicrophone"/>: silent until the test
/// speaks into it.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>A guard only, for clicks, navigations and waits: a busy machine is slow, not broken.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private const string ExecutablePath = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException("Debian's chromium is needed: apt-get install -y --no-install-recommends chromium fonts-liberation (test.sh does this).");
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                ChromiumSandbox = false,
                Timeout = 60_000,
                Args =
                [
                    "--no-sandbox",
                    "--disable-gpu",
                    "--use-fake-ui-for-media-stream",
                    "--use-fake-device-for-media-stream",
                    "--autoplay-policy=no-user-gesture-required",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new browser context (its own cookies) with the microphone allowed and the test's microphone in it, and a page in it.</summary>
    public async Task<IPage> NewPageAsync(Uri origin)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { Permissions = ["microphone"] });
        await context.GrantPermissionsAsync(["microphone"], new BrowserContextGrantPermissionsOptions { Origin = origin.GetLeftPart(UriPartial.Authority) });
        await context.AddInitScriptAsync(TestMicrophone.InitScript);
        // Clicks and navigations get the same generous guard as the waits: a busy machine is slow, not broken.
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
