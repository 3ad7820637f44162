using V2V.Playground.Security;

namespace V2V.Playground.Tests.Security;

/// <summary>Which addresses stay on this machine.</summary>
public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.0.0.2:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://192.168.1.10:8080", false)]
    [InlineData("http://my-host.example:8080", false)]
    public void Loopback_IsTold(string url, bool loopback)
    {
        Assert.Equal(loopback, ListenAddresses.AllLoopback([url]));
        if (loopback)
        {
            ListenAddresses.Check([url], hasToken: false);
        }
        else
        {
            Assert.Throws<PlaygroundConfigurationException>(() => ListenAddresses.Check([url], hasToken: false));
            ListenAddresses.Check([url], hasToken: true);
        }
    }

    [Fact]
    public void NotAUrl_IsNamed()
    {
        var error = Assert.Throws<PlaygroundConfigurationException>(() => ListenAddresses.Check(["127.0.0.1:8080"], hasToken: false));
        Assert.Contains("127.0.0.1:8080", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:70000")]
    [InlineData("http://127.0.0.1:-1")]
    [InlineData("http://localhost:eighty")]
    public void BadPort_IsNamed(string url)
    {
        var error = Assert.Throws<PlaygroundConfigurationException>(() => ListenAddresses.Check([url], hasToken: false));
        Assert.Contains("0 to 65535", error.Message, StringComparison.Ordinal);
    }
}
