using Microsoft.Extensions.AI;
using V2V.Realtime.Client;

namespace V2V.Realtime.Extensions.AI;

/// <summary>Turns our realtime client into Microsoft.Extensions.AI's.</summary>
public static class RealtimeClientExtensions
{
    /// <summary>
    /// This client as an <see cref="IRealtimeClient"/>, e.g. <c>client.AsIRealtimeClient().AsBuilder().UseLogging().Build()</c>;
    /// <paramref name="model"/> names the model in MEAI's metadata (telemetry).
    /// </summary>
    public static IRealtimeClient AsIRealtimeClient(this RealtimeClient client, string? model = null) => new RealtimeChatClient(client, model);
}
