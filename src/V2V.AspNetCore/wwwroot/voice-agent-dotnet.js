// voice-agent-dotnet.js: voice-agent.js for .NET driving the browser's page (Blazor's interactive server rendering), used by
// V2V.AspNetCore's BrowserVoiceAgent through IJSRuntime. The agent's callbacks go to a DotNetObjectReference, and the
// tools the .NET side gives run there. Not meant to be imported by a page's own script (use voice-agent.js).

import { VoiceAgent } from './voice-agent.js';

/**
 * Starts an agent whose callbacks go to `dotnet` (OnTranscript, OnStateChange, OnError; RunToolAsync for its tools).
 * Resolves with the agent (an IJSObjectReference on the .NET side); a failure rejects with "code: message".
 */
export async function start(dotnet, options) {
  const forward = (method, ...args) => dotnet.invokeMethodAsync(method, ...args).catch((e) => console.warn(`voice-agent-dotnet: ${method} failed`, e));
  const error = (e) => (e ? { code: e.code ?? 'error', message: e.message ?? String(e), fatal: Boolean(e.fatal) } : null);
  const agent = new VoiceAgent({
    url: options.url || undefined,
    startBufferMs: options.startBufferMs ?? undefined,
    readyTimeoutMs: options.readyTimeoutMs ?? undefined,
    heartbeatMs: options.heartbeatMs ?? undefined,
    tools: (options.tools ?? []).map((tool) => ({
      ...tool,
      // The .NET tool's output comes back as the model reads it; a failure comes as {"error": ...}, which it reads too.
      execute: (args) => dotnet.invokeMethodAsync('RunToolAsync', tool.name, JSON.stringify(args ?? {})),
    })),
    onTranscript: (line) => forward('OnTranscript', { id: line.id, role: line.role, text: line.text, final: line.final, interrupted: line.interrupted, itemId: line.itemId, removed: line.removed }),
    onStateChange: (state, e) => forward('OnStateChange', state, error(e)),
    onError: (e) => forward('OnError', error(e)),
  });
  try {
    await agent.start();
  } catch (e) {
    throw new Error(`${e?.code ?? 'start_failed'}: ${e?.message ?? e}`);
  }
  return agent;
}
