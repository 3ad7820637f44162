using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using V2V.Simulator.ClientSecrets;
using V2V.Simulator.Endpoints;

namespace V2V.Simulator;

/// <summary>Hosts the local realtime server inside an existing ASP.NET Core application.</summary>
public static class LocalRealtimeServerEndpoints
{
    /// <summary>
    /// Maps the realtime endpoint of <see cref="LocalRealtimeServerOptions.Profile"/> onto <paramref name="endpoints"/>
    /// (<c>/v1/realtime</c>, <c>/openai/v1/realtime</c> or <c>/openai/realtime</c>; the other two paths answer 404
    /// naming the profile), and beside it <c>POST .../client_secrets</c>, which mints ephemeral keys (<c>ek_...</c>) for
    /// that endpoint (not on <see cref="ServiceProfile.AzurePreview"/>, which has none, as Azure's preview endpoint). The application must call <c>app.UseWebSockets()</c> before its endpoints.
    /// <see cref="LocalRealtimeServerOptions.Port"/> is ignored: the host's own addresses apply.
    /// </summary>
    /// <returns>The group of the mapped endpoints, for conventions (authorization, CORS, ...).</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static IEndpointConventionBuilder MapLocalRealtimeServer(this IEndpointRouteBuilder endpoints, LocalRealtimeServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var loggerFactory = options.LoggerFactory
            ?? endpoints.ServiceProvider.GetService<ILoggerFactory>()
            ?? NullLoggerFactory.Instance;
        // One store per server: the secrets one endpoint mints are those the other honours.
        var secrets = new ClientSecretStore(options.TimeProvider, options.MaxLiveClientSecrets);
        var realtime = new RealtimeEndpoint(options, options.ResolveScript(), secrets, loggerFactory);
        var clientSecrets = new ClientSecretsEndpoint(options, secrets, loggerFactory);

        var group = endpoints.MapGroup(string.Empty);
        // Every profile's paths are mapped: the profile's own are served, the others answer 404 saying what is served.
        foreach (var pathOwner in Enum.GetValues<ServiceProfile>())
        {
            group.Map(pathOwner.Path(), (HttpContext c) => realtime.HandleAsync(c, pathOwner));
            group.Map(pathOwner.Path() + ClientSecretsEndpoint.PathSuffix, (HttpContext c) => clientSecrets.HandleAsync(c, pathOwner));
        }

        return group;
    }
}
