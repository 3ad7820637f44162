// voice-agent.d.ts: TypeScript declarations of voice-agent.js, the browser client of a V2V.AspNetCore voice endpoint.
// Served beside it ({pattern}/voice-agent.d.ts). In a TypeScript app that imports the module from the endpoint:
//
//   // voice-agent.d.ts saved as src/types/voice-agent.d.ts, and in a .d.ts of yours:
//   declare module '/voice/voice-agent.js' { export * from './types/voice-agent'; }

/** The agent's state: idle -> starting -> listening <-> speaking, reconnecting -> stopping -> stopped | failed. */
export type VoiceAgentState = 'idle' | 'starting' | 'listening' | 'speaking' | 'reconnecting' | 'stopping' | 'stopped' | 'failed';

/** An error of the agent or of the server: `code` is stable, `message` is for people. */
export declare class VoiceAgentError extends Error {
  constructor(code: string, message: string, options?: { fatal?: boolean; closeCode?: number });
  readonly name: 'VoiceAgentError';
  /**
   * The server's (bad_start, start_timeout, start_failed, full, shutting_down, bad_message, resume_failed,
   * events_dropped, mcp_approval_refused, ...) or this client's (microphone_denied, no_microphone, microphone_failed,
   * connection_failed, connection_lost, ready_timeout, closed, stopped, start_failed, bad_ready).
   */
  readonly code: string;
  /** A fatal error ended the agent. */
  readonly fatal: boolean;
  /** The WebSocket close code, when the error came with a close. */
  readonly closeCode?: number;
}

/** One line of the transcript, one per turn, updated in place. */
export interface TranscriptLine {
  readonly id: number;
  readonly role: 'user' | 'assistant';
  /** The agent's words follow what has been heard; a user turn's newer text replaces the older. */
  readonly text: string;
  readonly final: boolean;
  /** The agent's answer was cut by a barge-in (its text is what was heard). */
  readonly interrupted: boolean;
  readonly itemId: string | null;
  /** The line was taken out (a user turn whose words never came). */
  readonly removed: boolean;
}

/** A piece of transcript as the server sent it (PROTOCOL.md, `transcript`). */
export interface TranscriptPiece {
  readonly type: 'transcript';
  readonly role: 'user' | 'assistant';
  readonly text: string;
  readonly final: boolean;
  readonly endOfSegment: boolean;
  readonly interrupted: boolean;
  readonly itemId: string | null;
}

/** A session event (PROTOCOL.md, `event`): `kind` and its fields. */
export interface VoiceAgentEvent {
  readonly type: 'event';
  readonly kind: 'state' | 'user_speech_started' | 'user_speech_stopped' | 'user_transcript_pending' | 'first_audio' | 'user_idle' | 'mcp_tools' | 'mcp_call' | 'mcp_approval_request' | string;
  readonly [field: string]: unknown;
}

/** A tool that runs in the page: the agent calls it, and the model answers from what `execute` returns. */
export interface VoiceAgentTool<Args = Record<string, unknown>> {
  /** 1-64 letters, digits, '_' or '-'; not the name of one of the app's tools. */
  name: string;
  /** What the tool does, for the model. */
  description?: string;
  /** A JSON schema of type "object": the tool's arguments. */
  parameters?: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [keyword: string]: unknown };
  /** Runs the call: a string is the output as it is, anything else goes as JSON; what it throws is the error the model hears. */
  execute(args: Args, call: { callId: string }): unknown | Promise<unknown>;
}

export interface VoiceAgentOptions {
  /** The endpoint: absolute, or relative to the page; http(s) becomes ws(s). By default the one this module came from. */
  url?: string;
  /** Extra constraints for getUserMedia (echo cancellation, noise suppression and gain control are on by default). */
  microphone?: MediaTrackConstraints;
  /** A MediaStream of your own instead of the microphone (its tracks stay yours). */
  stream?: MediaStream;
  /** Audio buffered before the agent's voice starts playing, in ms (60). */
  startBufferMs?: number;
  /** How long start() waits for the server's `ready`, in ms (30000; 0: no limit). */
  readyTimeoutMs?: number;
  /** How often the agent checks that its socket carries (`ping`), in ms (3000; 0: never); silent 2.5 times that, it is replaced. */
  heartbeatMs?: number;
  /** Tools the agent may call that run in this page. */
  tools?: VoiceAgentTool<any>[];
  onTranscript?(line: TranscriptLine, piece: TranscriptPiece | null): void;
  onEvent?(event: VoiceAgentEvent): void;
  onFlush?(itemId: string | null): void;
  onError?(error: VoiceAgentError): void;
  onStateChange?(state: VoiceAgentState, error: VoiceAgentError | null): void;
  onReady?(ready: { session: string | null; outputSampleRate: number }): void;
}

/** What the agent measured, for devtools and tests. Samples are the server's (at `outputSampleRate`). */
export interface VoiceAgentStats {
  state: VoiceAgentState;
  session: string | null;
  inputSampleRate: number;
  outputSampleRate: number;
  micChunksSent: number;
  micChunksDropped: number;
  micLevel: number;
  framesReceived: number;
  samplesReceived: number;
  samplesPlayed: number;
  samplesBuffered: number;
  samplesFlushed: number;
  flushes: number;
  lastFlush: { itemId: string | null; playedMs: number | null; droppedSamples: number | null; bufferedAfter: number | null; samplesPlayed: number | null } | null;
  lastPlayed: { itemId: string; ms: number } | null;
  transcriptLines: number;
  errors: number;
  lastError: { code: string; message: string; fatal: boolean } | null;
  resumes: number;
  toolCalls: number;
}

export declare class VoiceAgent {
  /** Creates an agent and starts it: resolves once it listens, rejects (having released everything) if it cannot. */
  static start(options?: VoiceAgentOptions): Promise<VoiceAgent>;
  constructor(options?: VoiceAgentOptions);
  /** Opens the microphone and the session; resolves once the agent listens. Call it once, from a user gesture. */
  start(): Promise<void>;
  /** A typed user turn (1-4000 characters); an answer in progress is interrupted. False if the session is not live. */
  sendText(text: string): boolean;
  /** Stops the agent now (a barge-in); false if the session is not live. */
  interrupt(): boolean;
  /** Answers an `mcp_approval_request` event. */
  answerMcpApproval(requestId: string, approve: boolean, reason?: string): boolean;
  /** Ends the session: resolves once the microphone, the audio and the socket are released. */
  stop(): Promise<void>;
  readonly state: VoiceAgentState;
  /** The WebSocket URL the agent connects to. */
  readonly url: string;
  /** The server's id of the session, once ready. */
  readonly session: string | null;
  /** The microphone's MediaStream while the agent has one (mute with `track.enabled = false`). */
  readonly microphone: MediaStream | null;
  readonly stats: VoiceAgentStats;
  /** One line per turn, in speaking order. */
  readonly transcript: TranscriptLine[];
  /** The fatal error that ended the agent, or null. */
  readonly error: VoiceAgentError | null;
}
