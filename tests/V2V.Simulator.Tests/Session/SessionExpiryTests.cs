using System.Text;
using V2V.Simulator.Protocol;
using V2V.Simulator.Session;

namespace V2V.Simulator.Tests.Session;

public sealed class SessionExpiryTests
{
    [Theory]
    [InlineData(3600, "Your session hit the maximum duration of 60 minutes.")]
    [InlineData(1800, "Your session hit the maximum duration of 30 minutes.")]
    [InlineData(60, "Your session hit the maximum duration of 1 minute.")]
    [InlineData(90, "Your session hit the maximum duration of 90 seconds.")]
    [InlineData(2, "Your session hit the maximum duration of 2 seconds.")]
    [InlineData(1, "Your session hit the maximum duration of 1 second.")]
    [InlineData(0.5, "Your session hit the maximum duration of 0.5 seconds.")]
    public void Message_SaysTheRealDuration(double seconds, string expected) =>
        Assert.Equal(expected, SessionExpiry.Message(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void CloseReason_IsCutToTheFramesLimit_AtACharacterBoundary()
    {
        var reason = CloseReasons.Fit(new string('é', 100));

        Assert.True(Encoding.UTF8.GetByteCount(reason) <= 123);
        Assert.Equal(61, reason.Length);
        Assert.Equal("short", CloseReasons.Fit("short"));
    }
}
