using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using V2V.AspNetCore;
using V2V.Playground.Backend;
using V2V.Ten;

namespace V2V.Playground.Sessions;

/// <summary>What every browser session of one server shares: the addons, the server's agent properties, the backend.</summary>
/// <param name="Agent">The openai_v2v addon.</param>
/// <param name="Tool">The time_tool addon.</param>
/// <param name="ServerProperties">The agent properties the server sets (key, endpoint, model...).</param>
/// <param name="Backend">Which backend they select, for the page.</param>
/// <param name="Secrets">The agents' resolved secrets (API key, MCP token), masked in anything sent to a page.</param>
/// <param name="Environment">Resolves <c>${env:NAME}</c>.</param>
/// <param name="LoggerFactory">Loggers for the graphs.</param>
/// <param name="RefusedKeyFix">What to do when the service refuses the key, in the host's words.</param>
/// <param name="App">A TEN app's graph to run per session instead of the playground's own; null: the playground's.</param>
internal sealed record SessionContext(
    ExtensionAddon Agent,
    ExtensionAddon Tool,
    JsonObject ServerProperties,
    BackendInfo Backend,
    SecretMask Secrets,
    Func<string, string?> Environment,
    ILoggerFactory LoggerFactory,
    string RefusedKeyFix,
    PlaygroundGraph? App = null);
