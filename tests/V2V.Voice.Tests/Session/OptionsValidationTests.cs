using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace V2V.Voice.Tests.Session;

/// <summary>
/// The options are checked as Microsoft.Extensions.Options checks options: a host that binds them and validates on
/// start hears of every setting at fault at once; <see cref="VoiceSessionOptions.Validate"/> runs the same checks.
/// </summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void AHostThatValidatesTheOptions_HearsOfEverySettingAtFault_EachNamed()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IValidateOptions<VoiceSessionOptions>, VoiceSessionOptionsValidator>();
        services.AddOptions<VoiceSessionOptions>().Configure(o =>
        {
            o.OutputSampleRate = 96000;
            o.Voice = "nobody";
            o.MaxHistory = -1;
            o.NoiseReduction = "studio";
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<VoiceSessionOptions>>().Value);

        Assert.Equal(4, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("NoiseReduction must be near_field, far_field or null (off) (got 'studio')", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("OutputSampleRate must be 8000 to 48000 Hz (got 96000)", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Voice must be one of", StringComparison.Ordinal) && f.Contains("(got 'nobody')", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("MaxHistory must not be negative", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NamesTheFirstSettingAtFault_AsTheParameter_AndEveryOneInTheMessage()
    {
        var options = new VoiceSessionOptions { OutputSampleRate = 96000, MaxHistory = -1 };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(VoiceSessionOptions.OutputSampleRate), ex.ParamName);
        Assert.Contains("MaxHistory must not be negative", ex.Message, StringComparison.Ordinal);
        Assert.True(new VoiceSessionOptionsValidator().Validate(null, new VoiceSessionOptions()).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(250)]
    public void APacingIntervalOutOfRange_IsNamed_WithWhatIsAllowed(double ms)
    {
        var options = new VoiceSessionOptions { OutputPacingInterval = TimeSpan.FromMilliseconds(ms) };

        var ex = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(VoiceSessionOptions.OutputPacingInterval), ex.ParamName);
        Assert.Contains($"OutputPacingInterval must be 1 to 100 ms (got {ms} ms)", ex.Message, StringComparison.Ordinal);
    }
}
