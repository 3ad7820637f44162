namespace V2V.Simulator.Tests.Endpoints;

public sealed class ServiceProfileOptionsTests
{
    [Theory]
    [InlineData("openai", ServiceProfile.OpenAi)]
    [InlineData("azure", ServiceProfile.Azure)]
    [InlineData("azure-preview", ServiceProfile.AzurePreview)]
    [InlineData(" Azure-Preview ", ServiceProfile.AzurePreview)]
    public void Names_ParseAndFormat(string name, ServiceProfile profile)
    {
        Assert.Equal(profile, ServiceProfileNames.Parse(name, "--profile"));
        Assert.Equal(name.Trim().ToLowerInvariant(), ServiceProfileNames.Format(profile));
    }

    [Fact]
    public void UnknownName_IsRefused_NamingTheOptionAndTheValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => ServiceProfileNames.Parse("azure-v1", "--profile"));

        Assert.Equal("--profile", e.ParamName);
        Assert.Contains("--profile must be one of openai, azure, azure-preview", e.Message, StringComparison.Ordinal);
        Assert.Contains("azure-v1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task NonPositiveSessionLifetime_IsRefusedAtStart(int seconds)
    {
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => LocalRealtimeServer.StartAsync(
            new LocalRealtimeServerOptions { SessionLifetime = TimeSpan.FromSeconds(seconds) }, TestContext.Current.CancellationToken));

        Assert.Equal("SessionLifetime", e.ParamName);
    }

    [Fact]
    public async Task UndefinedProfile_IsRefusedAtStart()
    {
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => LocalRealtimeServer.StartAsync(
            new LocalRealtimeServerOptions { Profile = (ServiceProfile)7 }, TestContext.Current.CancellationToken));

        Assert.Equal("Profile", e.ParamName);
    }
}
