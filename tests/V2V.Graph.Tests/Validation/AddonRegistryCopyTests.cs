using V2V.Graph.Tests.Support;

namespace V2V.Graph.Tests.Validation;

/// <summary>
/// <see cref="AddonRegistry.With"/>: a run's own addon (a browser session's transport) is added to a copy, so the
/// registry runs share keeps its addons, aliases and reasons, and never gains another run's.
/// </summary>
public sealed class AddonRegistryCopyTests
{
    [Fact]
    public void With_AddsToACopy_KeepingAddonsAndAliases_AndLeavesTheSharedOneUnchanged()
    {
        var shared = new AddonRegistry().AddBuiltIns();
        var session = TestAddon.Create("session_rtc", () => new Echo());

        var copy = shared.With(session);

        Assert.True(copy.TryGet("session_rtc", out _));
        Assert.False(shared.TryGet("session_rtc", out _));
        Assert.True(copy.TryGet("time_tool", out _));
        Assert.Equal("'openai_v2v_python' is another name of 'openai_v2v', which is not registered", copy.WhyUnknown("openai_v2v_python"));
        Assert.Throws<ArgumentException>(() => shared.With(TestAddon.Create("time_tool", () => new Echo())));
    }
}
