using System.Text.Json.Nodes;
using V2V.Cli.Commands;
using V2V.Simulator;
using V2V.Testing;

namespace V2V.Cli.Tests;

/// <summary>
/// The CLI's Azure OpenAI set-up is the GA endpoint (resource, deployment, <c>AZURE_OPENAI_API_KEY</c>), proven against
/// the local realtime server in the <c>azure</c> profile; beta against OpenAI is refused before connecting.
/// </summary>
public sealed class AzureConnectionTests : IAsyncLifetime
{
    private const string AzureKey = "azure-key-FOR-THE-TEST-ONLY";
    private readonly string _folder = Directory.CreateTempSubdirectory("v2v-cli-azure-").FullName;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Talk_VendorAzure_ReadsTheAzureVariables_AndTalksToTheGaEndpoint()
    {
        await using var server = await LocalRealtimeServer.StartAsync(
            new LocalRealtimeServerOptions { Profile = ServiceProfile.Azure, ApiKey = AzureKey, SpeedFactor = 20 }, TestContext.Current.CancellationToken);
        var input = Speech.WriteWav(Path.Combine(_folder, "q.wav"), "What is the weather in Paris today?", 16000, 1, trailingSilenceMs: 500);
        var environment = new Dictionary<string, string>
        {
            ["AZURE_OPENAI_API_KEY"] = AzureKey,
            ["AZURE_OPENAI_ENDPOINT"] = server.BaseUri.ToString(),
            ["AZURE_OPENAI_DEPLOYMENT"] = "my-realtime-deployment",
        };

        var (code, output) = await CliProcess.RunWithEnvironmentAsync(_folder, environment, "talk", "--input", input, "--fast", "--vendor", "azure");

        Assert.True(code == 0, output);
        Assert.Contains("agent: I heard", output, StringComparison.Ordinal);
        Assert.DoesNotContain(AzureKey, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Talk_BetaAgainstOpenAI_IsRefusedBeforeConnecting_NamingTheFlagAndTheReason()
    {
        var input = Speech.WriteWav(Path.Combine(_folder, "q.wav"), "Hello.", 16000, 1);

        var (code, output) = await CliProcess.RunWithEnvironmentAsync(_folder, new Dictionary<string, string>(),
            "talk", "--input", input, "--api-key", "sk-not-used", "--dialect", "beta");

        Assert.True(code == 2, output);
        Assert.Contains("--dialect", output, StringComparison.Ordinal);
        Assert.Contains("beta_api_shape_disabled", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Could not connect", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_VendorAzure_IsTheGaForm_WithTheAzureKeyVariable()
    {
        var properties = new JsonObject();
        var environment = new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "sk-openai",
            ["AZURE_OPENAI_ENDPOINT"] = "https://myres.openai.azure.com/",
            ["AZURE_OPENAI_DEPLOYMENT"] = "my-realtime-deployment",
        };

        Assert.True(ServeBackend.TryConfigure(properties, environment.GetValueOrDefault, null, "azure", null, null, null, [], TextWriter.Null, out _));

        Assert.Equal("${env:AZURE_OPENAI_API_KEY|}", (string?)properties["api_key"]);
        Assert.Equal("azure", (string?)properties["vendor"]);
        Assert.Equal("ga", (string?)properties["dialect"]);
        Assert.Equal("https://myres.openai.azure.com/", (string?)properties["base_uri"]);
        Assert.Equal("my-realtime-deployment", (string?)properties["model"]);
        Assert.Null(properties["path"]);
    }

    [Fact]
    public void Serve_WithOnlyAzuresVariables_ChoosesAzuresGaEndpoint()
    {
        var properties = new JsonObject();
        var environment = new Dictionary<string, string>
        {
            ["AZURE_OPENAI_API_KEY"] = AzureKey,
            ["AZURE_OPENAI_ENDPOINT"] = "https://myres.openai.azure.com/",
        };

        Assert.True(ServeBackend.TryConfigure(properties, environment.GetValueOrDefault, null, null, null, null, null, [], TextWriter.Null, out _));

        Assert.Equal("${env:AZURE_OPENAI_API_KEY|}", (string?)properties["api_key"]);
        Assert.Equal("ga", (string?)properties["dialect"]);
        Assert.Equal(ConnectionOptions.DefaultModel, (string?)properties["model"]);
        Assert.Null(properties["path"]);
        Assert.DoesNotContain("preview", properties.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_AzurePreviewPath_IsSpokenInBeta()
    {
        var properties = new JsonObject();

        Assert.True(ServeBackend.TryConfigure(properties, _ => null, null, "azure", "https://myres.openai.azure.com",
            "/openai/realtime?api-version=2025-04-01-preview&deployment=d", null, [], TextWriter.Null, out _));

        Assert.Equal("beta", (string?)properties["dialect"]);
        Assert.Equal("/openai/realtime?api-version=2025-04-01-preview&deployment=d", (string?)properties["path"]);
    }

    [Fact]
    public void Serve_WithOpenAIsKey_StaysOnOpenAI()
    {
        var properties = new JsonObject();
        var environment = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-openai", ["AZURE_OPENAI_API_KEY"] = AzureKey, ["AZURE_OPENAI_ENDPOINT"] = "https://x.openai.azure.com" };

        Assert.True(ServeBackend.TryConfigure(properties, environment.GetValueOrDefault, null, null, null, null, null, [], TextWriter.Null, out _));

        Assert.Equal("${env:OPENAI_API_KEY|}", (string?)properties["api_key"]);
        Assert.Null(properties["vendor"]);
    }
}
