using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace V2V.Voice;

/// <summary>Voice sessions in a host's services (ASP.NET Core, the generic host): see <see cref="AddVoiceSessions"/>.</summary>
public static class VoiceSessionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="VoiceSessionFactory"/> and the sessions' options, checked when the host starts (every setting
    /// at fault named at once, <see cref="VoiceSessionOptionsValidator"/>). Bind them from configuration with the builder
    /// returned: <c>services.AddVoiceSessions().BindConfiguration("Voice")</c> reads <c>Voice:Connection:ApiKey</c>,
    /// <c>Voice:TurnMode</c>, <c>Voice:OutputSampleRate</c> and the rest, as named in <see cref="VoiceSessionOptions"/>.
    /// </summary>
    public static OptionsBuilder<VoiceSessionOptions> AddVoiceSessions(this IServiceCollection services, Action<VoiceSessionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VoiceSessionOptions>, VoiceSessionOptionsValidator>());
        services.TryAddSingleton<VoiceSessionFactory>();
        var options = services.AddOptions<VoiceSessionOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        return options.ValidateOnStart();
    }
}
