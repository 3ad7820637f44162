// voice-agent.js: the browser client of a V2V.AspNetCore voice endpoint (`app.MapVoiceAgent("/voice")`, which serves
// this file at /voice/voice-agent.js). The wire protocol is the package's PROTOCOL.md. An ES module, no dependencies.
//
//   import { VoiceAgent } from '/voice/voice-agent.js';
//   button.onclick = async () => {                       // from a click: browsers let audio start in a user gesture
//     const agent = await VoiceAgent.start({            // resolves once the agent listens (the server's `ready`)
//       onTranscript: (line) => render(line),           // one object per line, updated in place (see Lines below)
//       onStateChange: (state) => label.textContent = state,
//       onError: (error) => console.warn(error.code, error.message),
//     });
//     agent.sendText('What time is it?');
//     await agent.stop();                               // the microphone is released at once
//   };
//
// States (`agent.state`, `onStateChange(state, error)`): idle -> starting -> listening <-> speaking, reconnecting (the
// server's link to the model is being restored, or this page's link to the server) -> stopping -> stopped | failed
// (`agent.error` says why).
//
// A socket lost without a close (the network changed, the laptop slept) does not end the conversation: the agent
// stops playing (the server cuts the answer where the listener was), says `reconnecting`, and opens a new socket that
// takes the same session back (`resume`, PROTOCOL.md), trying again with growing pauses for as long as the server keeps
// the session (its `resumeWithinMs`, 30 s by default). The microphone stays open meanwhile; what it hears is dropped.
//
// Options:
//   url            the endpoint: absolute, or relative to the page; http(s) becomes ws(s). By default the endpoint this
//                  module was served from ({pattern} of {pattern}/voice-agent.js).
//   microphone     extra MediaTrackConstraints for getUserMedia (echo cancellation, noise suppression and gain control
//                  are on by default: the agent must not hear itself).
//   stream         a MediaStream of your own to use instead of opening the microphone (its tracks stay yours).
//   startBufferMs  audio buffered before the agent's voice starts playing (60): more rides over a worse network.
//   readyTimeoutMs how long start() waits for the server's `ready` (30000; 0: no limit).
//   heartbeatMs    how often the agent checks that its socket still carries (`ping`, 3000; 0: never). With no `pong`
//                  for 2.5 times that, the socket is taken as lost (a network that went silent without closing it)
//                  and the session is taken back on a new one.
//   tools          tools the agent may call that run in this page: [{ name, description, parameters (a JSON schema of
//                  type "object"), execute(args, { callId }) }]. What execute returns (or resolves to) is the output
//                  the model answers from (a string as it is, anything else as JSON); what it throws, the error the
//                  model hears. The server's tool timeout applies (10 s by default): answer quickly.
//   onTranscript(line, piece), onEvent(event), onFlush(itemId), onError(error), onStateChange(state, error),
//   onReady({ session, outputSampleRate }).
//
// Errors are VoiceAgentError { code, message, fatal, closeCode? }: the server's codes (PROTOCOL.md: bad_start, full,
// shutting_down, start_failed, ...) and this client's (microphone_denied, no_microphone, microphone_failed,
// connection_failed, connection_lost (and not resumed in time), ready_timeout, closed, stopped; resume_failed is the
// server's: the session had ended). A failure while starting rejects start() (and
// is not passed to onError as well); afterwards every error goes to onError, and a fatal one ends the agent.

import { PlayedItems } from './voice-agent-played.js';

const CHUNK_MS = 20;           // microphone message size, as the server's session chunks its input
const STOP_WAIT_MS = 2000;     // how long stop() waits for the server's close before closing itself
const MAX_SOCKET_BACKLOG_MS = 1000; // microphone audio the socket may hold unsent before chunks are dropped
const RESUME_PAUSES_MS = [0, 250, 500, 1000, 2000, 4000]; // between tries to take the session back; the last repeats

const CLOSE_ERRORS = {
  1001: ['shutting_down', 'The server is shutting down; try again later.'],
  1008: ['bad_start', 'The server refused the start of the session.'],
  1009: ['message_too_big', 'A message was too big for the server.'],
  1011: ['server_error', 'The server ended the session after an internal error.'],
  1013: ['full', 'The server has no room for another voice session; try again later.'],
};

/** An error of the agent or of the server: `code` is stable, `message` is for people. */
export class VoiceAgentError extends Error {
  constructor(code, message, { fatal = true, closeCode } = {}) {
    super(message);
    this.name = 'VoiceAgentError';
    this.code = code;
    this.fatal = fatal;
    if (closeCode !== undefined) this.closeCode = closeCode;
  }
}

export class VoiceAgent {
  /** Creates an agent and starts it: resolves once it listens, rejects (having released everything) if it cannot. */
  static async start(options) {
    const agent = new VoiceAgent(options);
    await agent.start();
    return agent;
  }

  /**
   * What the agent measured, for devtools and tests. Counts are since start. `samplesReceived`, `samplesPlayed` and
   * `samplesBuffered` are in the server's samples (at `outputSampleRate`), the last two as the player reported them:
   * once an answer has played out, played = received - flushed.
   */
  stats = {
    state: 'idle',
    session: null,
    inputSampleRate: 0,
    outputSampleRate: 0,
    micChunksSent: 0,
    micChunksDropped: 0,
    micLevel: 0,         // peak (0-1) of the last microphone chunk
    framesReceived: 0,
    samplesReceived: 0,
    samplesPlayed: 0,
    samplesBuffered: 0,
    samplesFlushed: 0,   // dropped from the player by flushes
    flushes: 0,
    lastFlush: null,     // { itemId, playedMs, droppedSamples, bufferedAfter, samplesPlayed }: the player's answer to the last flush
    lastPlayed: null,    // { itemId, ms }: the last 'played' report sent (how far into which item the listener was)
    transcriptLines: 0,
    errors: 0,
    lastError: null,     // { code, message, fatal }
    resumes: 0,          // times a lost socket was replaced and the session taken back
    toolCalls: 0,        // calls of this page's tools by the agent
  };

  /**
   * Lines: one object per turn, { id, role: 'user' | 'assistant', text, final, interrupted, itemId, removed }, updated
   * in place and passed to onTranscript at each change. The agent's line grows sentence by sentence (its words follow
   * what has been heard) and is closed by its final piece; a barge-in marks it interrupted. A spoken user turn gets its
   * line as soon as the server knows its words will come (often after the answer's), so lines stay in speaking order;
   * a line whose words will not come is removed (`removed: true`).
   */
  transcript = [];

  /** The fatal VoiceAgentError that ended the agent, or null. */
  error = null;

  #options;
  #url;
  #context = null;
  #stream = null;
  #ownsStream = false;
  #socket = null;
  #capture = null;
  #player = null;
  #nodes = [];
  #contextClosed = Promise.resolve();
  #starting = null;   // { resolve, reject } of start() until `ready`
  #resume = null;     // { token, withinMs } of the last `ready`: what takes the session back on a new socket
  #resuming = null;   // { deadline, tries, timer } while a lost socket is being replaced
  #tools = new Map(); // name -> { name, description, parameters, execute } of the page's tools
  #heartbeat = { timer: 0, pings: 0, waitingSince: 0 }; // the socket's liveness: pings out, since when one waits for its pong
  #unsentResults = []; // tool results that found no socket (a lost one being replaced): sent once it is back
  #readyTimer = 0;
  #ready = false;
  #stopping = false;
  #ended = false;
  #playing = false;
  #lineIds = 0;
  #openAssistant = null;
  #openUser = null;
  #userLines = new Map(); // itemId -> line whose words are awaited
  // How far into which of the agent's items the listener is, which the server is told ('played').
  #played = new PlayedItems();

  constructor(options = {}) {
    this.#options = { startBufferMs: 60, readyTimeoutMs: 30000, heartbeatMs: 3000, ...options };
    this.#url = endpointUrl(this.#options.url);
    for (const tool of this.#options.tools ?? []) {
      if (typeof tool?.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(tool.name)) throw new TypeError(`A tool's name must be 1-64 letters, digits, '_' or '-' (got ${tool?.name}).`);
      if (typeof tool.execute !== 'function') throw new TypeError(`The tool ${tool.name} needs execute(args), the function that runs it.`);
      if (this.#tools.has(tool.name)) throw new TypeError(`The tool ${tool.name} is given twice.`);
      this.#tools.set(tool.name, tool);
    }
  }

  get state() { return this.stats.state; }
  /** The WebSocket URL the agent connects to. */
  get url() { return this.#url; }
  /** The server's id of the session (for logs), once ready. */
  get session() { return this.stats.session; }
  /** The microphone's MediaStream while the agent has one (mute with `track.enabled = false`). */
  get microphone() { return this.#stream; }

  /** Opens the microphone and the session; resolves once the agent listens. Call it once, from a user gesture. */
  async start() {
    if (this.stats.state !== 'idle') throw new Error('VoiceAgent.start() is called once per agent: make a new one.');
    this.#setState('starting');
    try {
      // Made before the first await, while the caller's click still counts: browsers let such a context play.
      // One context for the microphone and the voice, at the device's rate: the `ready` that names the voice's rate
      // comes after network round trips, too late for a context of its own to count as made in the gesture, and one
      // context is one clock. The player resamples the voice to it (voice-agent-player.js).
      this.#context = newAudioContext();
      this.#context.resume().catch(() => {}); // not awaited: without a gesture it waits for one, and start() would hang
      this.stats.inputSampleRate = this.#context.sampleRate;
      const worklets = this.#context.audioWorklet;
      // The microphone is opened before the socket: a refusal costs no session on the server. A stream that comes
      // after the agent ended (stopped, or a worklet failed to load) is released at once.
      const microphone = this.#openMicrophone().then((stream) => {
        if (!this.#ended) this.#stream = stream;
        else if (this.#ownsStream) for (const track of stream.getTracks()) track.stop();
      });
      await Promise.all([
        microphone,
        worklets.addModule(new URL('./voice-agent-capture.js', import.meta.url)),
        worklets.addModule(new URL('./voice-agent-player.js', import.meta.url)),
      ]);
      if (this.#ended) throw stoppedError();
      await this.#connect();
    } catch (e) {
      // Stopped while starting: that, not what the closed context made fail, is the reason.
      const stopped = this.#ended && !this.error;
      const error = e instanceof VoiceAgentError ? e : new VoiceAgentError('start_failed', `Could not start: ${e?.message ?? e}`);
      this.#finish('failed', error);
      await this.#contextClosed; // rejected once everything is released
      throw stopped ? stoppedError() : this.error ?? error;
    }
  }

  /** A typed user turn (1-4000 characters); an answer in progress is interrupted. False if the session is not live. */
  sendText(text) {
    if (typeof text !== 'string' || text.length < 1 || text.length > 4000) throw new RangeError('text must be 1-4000 characters.');
    return this.#send({ type: 'text', text });
  }

  /**
   * Stops the agent now (a barge-in). The player is cleared when the server's `flush` comes back (a round trip): the
   * server says which audio is cut, and a local clear would let frames already on their way play after it.
   */
  interrupt() {
    return this.#send({ type: 'interrupt' });
  }

  /** Answers an `mcp_approval_request` event (its `requestId`): the tool call runs only if approved. */
  answerMcpApproval(requestId, approve, reason) {
    if (typeof requestId !== 'string' || requestId.length < 1 || requestId.length > 128) throw new RangeError('requestId must be 1-128 characters.');
    const message = { type: 'mcp_approval', requestId, approve: Boolean(approve) };
    if (reason !== undefined && reason !== null) {
      if (typeof reason !== 'string' || reason.length > 1000) throw new RangeError('reason must be a string of at most 1000 characters.');
      message.reason = reason;
    }
    return this.#send(message);
  }

  /**
   * Ends the session: the microphone and audio are released at once, then the server's goodbye is awaited briefly.
   * Resolves once the microphone's tracks are stopped, the AudioContext is closed and the socket is closed.
   */
  async stop() {
    if (this.#ended || this.#stopping) return this.#contextClosed;
    if (this.stats.state === 'idle') {
      this.#finish('stopped', null);
      return this.#contextClosed;
    }
    this.#stopping = true;
    this.#setState('stopping');
    this.#releaseAudio();
    const socket = this.#socket;
    // A socket that is taking the session back is not yet the session's: it is closed, and the server's session ends
    // when its page does not come back.
    if (socket?.readyState === WebSocket.OPEN && !this.#resuming) {
      socket.send(JSON.stringify({ type: 'stop' }));
      // The server closes (1000) once its session has ended; a server that does not is not waited for long.
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, STOP_WAIT_MS);
        socket.addEventListener('close', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
    }
    this.#finish('stopped', null);
    await this.#contextClosed;
  }

  async #openMicrophone() {
    if (this.#options.stream) return this.#options.stream;
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new VoiceAgentError('microphone_failed', 'This page cannot use a microphone (it needs https, or localhost).');
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true, ...this.#options.microphone },
      });
      this.#ownsStream = true;
      return stream;
    } catch (e) {
      if (e?.name === 'NotAllowedError') throw new VoiceAgentError('microphone_denied', 'The microphone was not allowed.');
      if (e?.name === 'NotFoundError') throw new VoiceAgentError('no_microphone', 'No microphone was found.');
      throw new VoiceAgentError('microphone_failed', `The microphone could not be opened: ${e?.message ?? e}`);
    }
  }

  // Resolves on the server's `ready`; #finish rejects it on any failure before.
  #connect() {
    return new Promise((resolve, reject) => {
      this.#starting = { resolve, reject };
      // reportsPlayed: this page says what it played, so a barge-in cuts the agent's words where the listener was.
      const start = { type: 'start', sampleRate: this.stats.inputSampleRate, reportsPlayed: true };
      if (this.#tools.size) start.tools = [...this.#tools.values()].map(({ name, description, parameters }) => ({ name, description, parameters }));
      this.#open(start);
      if (this.#options.readyTimeoutMs > 0) {
        this.#readyTimer = setTimeout(() => this.#finish('failed',
          new VoiceAgentError('ready_timeout', `The server was not ready within ${this.#options.readyTimeoutMs} ms.`)), this.#options.readyTimeoutMs);
      }
    });
  }

  // A socket to the endpoint whose first message is `first` (start, or resume).
  #open(first) {
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => socket.send(JSON.stringify(first));
    socket.onmessage = (e) => {
      if (socket === this.#socket) typeof e.data === 'string' ? this.#onMessage(e.data) : this.#onAudio(e.data);
    };
    // An `error` event is always followed by `close`, which says more.
    socket.onclose = (e) => {
      if (socket === this.#socket) this.#onClose(e);
    };
  }

  #onMessage(data) {
    if (this.#stopping || this.#ended) return; // what comes after stop() or a failure is no longer the app's business
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('voice-agent: a message that is not JSON was ignored', data);
      return;
    }
    switch (message.type) {
      case 'ready': return this.#onReady(message);
      case 'transcript': return this.#onTranscript(message);
      case 'flush': return this.#onFlush(message.itemId ?? null);
      case 'audio_item': return this.#onAudioItem(message);
      case 'tool_call': return this.#onToolCall(message);
      case 'pong': this.#heartbeat.waitingSince = 0; return;
      case 'event': return this.#onEvent(message);
      case 'error': {
        const error = new VoiceAgentError(message.code || 'error', message.message || 'The server reported an error.', { fatal: Boolean(message.fatal) });
        if (error.fatal) this.#finish('failed', error); // the server closes the socket after it; we do not wait for that
        else this.#report(error);
        return;
      }
      default: return; // a newer server's message: ignored, as the protocol's additions are meant to be
    }
  }

  #onReady(message) {
    this.#resume = typeof message.resumeToken === 'string' ? { token: message.resumeToken, withinMs: Number(message.resumeWithinMs) || 0 } : null;
    if (this.#resuming) {
      // The session is back, on this socket: what happened while away (a cut, the words heard) follows.
      clearTimeout(this.#resuming.timer);
      this.#resuming = null;
      this.stats.resumes++;
      this.#heartbeat.waitingSince = 0;
      this.#setState(this.#playing ? 'speaking' : 'listening');
      for (const result of this.#unsentResults.splice(0)) this.#send(result);
      return;
    }
    if (!this.#starting) return;
    clearTimeout(this.#readyTimer);
    this.stats.session = message.session ?? null;
    const rate = message.outputSampleRate;
    if (!Number.isInteger(rate) || rate < 8000 || rate > 192000) {
      this.#finish('failed', new VoiceAgentError('bad_ready', `The server's outputSampleRate is not usable: ${rate}.`));
      return;
    }
    this.stats.outputSampleRate = rate;
    try {
      this.#connectAudio(rate);
    } catch (e) {
      this.#finish('failed', new VoiceAgentError('start_failed', `The audio could not be connected: ${e?.message ?? e}`));
      return;
    }
    const starting = this.#starting;
    this.#starting = null;
    this.#ready = true;
    this.#startHeartbeat();
    this.#setState('listening');
    this.#call('onReady', { session: this.stats.session, outputSampleRate: rate });
    starting.resolve();
  }

  // The player at the voice's rate, and the microphone into the capture worklet.
  #connectAudio(rate) {
    const context = this.#context;
    this.#player = new AudioWorkletNode(context, 'voice-agent-player', {
      numberOfInputs: 0,
      outputChannelCount: [1],
      processorOptions: { inputSampleRate: rate, startMs: this.#options.startBufferMs },
    });
    this.#player.port.onmessage = (e) => this.#onPlayer(e.data);
    this.#player.connect(context.destination);
    // The microphone is connected only now: the server takes audio after `ready`, none is captured for nobody.
    const source = context.createMediaStreamSource(this.#stream);
    this.#capture = new AudioWorkletNode(context, 'voice-agent-capture', {
      numberOfOutputs: 1,
      processorOptions: { chunkSamples: Math.round((context.sampleRate * CHUNK_MS) / 1000) },
    });
    this.#capture.port.onmessage = (e) => this.#sendMicrophone(e.data);
    // A node whose output leads nowhere may not be run: it goes to the speakers, muted.
    const mute = new GainNode(context, { gain: 0 });
    source.connect(this.#capture).connect(mute).connect(context.destination);
    this.#nodes = [source, this.#capture, mute, this.#player];
  }

  #sendMicrophone({ pcm, peak }) {
    const socket = this.#socket;
    if (this.#ended || this.#stopping) return;
    this.stats.micLevel = peak;
    if (this.#resuming || socket?.readyState !== WebSocket.OPEN) {
      this.stats.micChunksDropped++; // no session hears it until the socket is back
      return;
    }
    // A socket that cannot keep up (a slow uplink) would only make the agent hear the user later and later: the
    // newest audio matters, so chunks beyond a second of backlog are dropped.
    if (socket.bufferedAmount > (this.stats.inputSampleRate * 2 * MAX_SOCKET_BACKLOG_MS) / 1000) {
      this.stats.micChunksDropped++;
      return;
    }
    socket.send(pcm);
    this.stats.micChunksSent++;
  }

  #onAudio(data) {
    if (this.#stopping || this.#ended) return;
    this.stats.framesReceived++;
    this.stats.samplesReceived += data.byteLength >> 1;
    if (!this.#player || data.byteLength < 2) return;
    const whole = data.byteLength & ~1;
    const pcm = whole === data.byteLength ? data : data.slice(0, whole);
    this.#player.port.postMessage({ type: 'audio', pcm }, [pcm]);
  }

  #onPlayer(message) {
    const stats = this.stats;
    // Updated before the state changes below, so that onStateChange sees the numbers of that moment.
    if (typeof message.played === 'number') stats.samplesPlayed = message.played;
    if (typeof message.buffered === 'number') stats.samplesBuffered = message.buffered;
    switch (message.type) {
      case 'flushed':
        // What was kept of the item being played ends where the flush cut it: the dropped samples were never heard.
        this.#played.cut(message.played + stats.samplesFlushed);
        stats.samplesFlushed += message.dropped;
        if (stats.lastFlush) Object.assign(stats.lastFlush, { droppedSamples: message.dropped, bufferedAfter: message.buffered, samplesPlayed: message.played });
        break;
      case 'started':
        this.#playing = true;
        if (stats.state === 'listening') this.#setState('speaking');
        break;
      case 'stopped':
        this.#playing = false;
        if (stats.state === 'speaking') this.#setState('listening');
        break;
    }
    this.#reportPlayed();
  }

  // The agent calls a tool of this page's: its result (or its error) goes back as `tool_result`.
  async #onToolCall({ callId, name, arguments: args }) {
    this.stats.toolCalls++;
    const tool = this.#tools.get(name);
    let result;
    try {
      if (!tool) throw new Error(`this page has no tool named ${name}`);
      const output = await tool.execute(args ?? {}, { callId });
      result = { type: 'tool_result', callId, output: output === undefined ? null : output };
      JSON.stringify(result); // an output that is not JSON (a cycle, a BigInt) is the tool's error, not the agent's
    } catch (e) {
      result = { type: 'tool_result', callId, error: String(e?.message ?? e).slice(0, 1000) };
    }
    if (!this.#send(result) && this.#resuming && this.#unsentResults.length < 16) this.#unsentResults.push(result);
  }

  #onAudioItem({ itemId, startMs }) {
    this.#played.begin(itemId, this.stats.samplesReceived, startMs);
  }

  // Tells the server how far into which item the listener is (what the player played, as it plays).
  #reportPlayed() {
    const report = this.#played.next(this.stats.samplesPlayed + this.stats.samplesFlushed, this.stats.outputSampleRate);
    if (report && this.#send({ type: 'played', ...report })) this.stats.lastPlayed = report;
  }

  #onFlush(itemId) {
    this.stats.flushes++;
    // Filled in by the player's answer ('flushed'): null until then.
    // playedMs: how far into the cut item this page had said it was (the server cut it there, or before).
    const reported = this.#played.last?.itemId === itemId ? this.#played.last.ms : null;
    this.stats.lastFlush = { itemId, playedMs: reported, droppedSamples: null, bufferedAfter: null, samplesPlayed: null };
    this.#player?.port.postMessage({ type: 'flush' });
    // The agent's open line is cut: its closing piece (the words heard) may still come and fill it.
    const line = this.#openAssistant;
    if (line && !line.interrupted) {
      line.interrupted = true;
      this.#call('onTranscript', line, null);
    }
    this.#call('onFlush', itemId);
  }

  #onEvent(event) {
    if (event.kind === 'state') {
      if (event.state === 'reconnecting' && !this.#ended && !this.#stopping && !this.#starting) this.#setState('reconnecting');
      else if (event.state === 'connected' && this.stats.state === 'reconnecting') this.#setState(this.#playing ? 'speaking' : 'listening');
    } else if (event.kind === 'user_transcript_pending') {
      this.#onUserPending(event.itemId, event.pending);
    }
    this.#call('onEvent', event);
  }

  #onTranscript(piece) {
    if (piece.role === 'user') {
      // A user turn's newer text replaces the older.
      let line = (piece.itemId && this.#userLines.get(piece.itemId)) || (!piece.itemId && this.#openUser) || null;
      line ??= this.#addLine('user', piece.itemId);
      line.text = piece.text ?? '';
      if (piece.final) {
        line.final = true;
        this.#userLines.delete(line.itemId);
        if (this.#openUser === line) this.#openUser = null;
      } else if (line.itemId) {
        this.#userLines.set(line.itemId, line);
      } else {
        this.#openUser = line;
      }
      this.#call('onTranscript', line, piece);
      return;
    }
    let line = this.#openAssistant;
    // After a flush only the cut turn's closing piece belongs to its line; anything else begins the next turn.
    if (line?.interrupted && !(piece.final && piece.interrupted)) {
      line.final = true;
      this.#call('onTranscript', line, null);
      this.#openAssistant = line = null;
    }
    line ??= this.#addLine('assistant', piece.itemId);
    if (piece.text) line.text = join(line.text, piece.text);
    line.itemId ??= piece.itemId ?? null;
    if (piece.final) {
      line.final = true;
      line.interrupted ||= Boolean(piece.interrupted);
      this.#openAssistant = null;
    } else {
      this.#openAssistant = line;
    }
    this.#call('onTranscript', line, piece);
  }

  // A spoken turn's words will come later (its line now, before the answer's), or will not come at all (its line goes).
  #onUserPending(itemId, pending) {
    if (!itemId) return;
    if (pending) {
      if (this.#userLines.has(itemId)) return;
      const line = this.#addLine('user', itemId);
      this.#userLines.set(itemId, line);
      this.#call('onTranscript', line, null);
      return;
    }
    const line = this.#userLines.get(itemId);
    this.#userLines.delete(itemId);
    if (!line || line.text) return;
    line.removed = true;
    this.transcript.splice(this.transcript.indexOf(line), 1);
    this.stats.transcriptLines = this.transcript.length;
    this.#call('onTranscript', line, null);
  }

  #addLine(role, itemId) {
    const line = { id: ++this.#lineIds, role, text: '', final: false, interrupted: false, itemId: itemId ?? null, removed: false };
    this.transcript.push(line);
    this.stats.transcriptLines = this.transcript.length;
    return line;
  }

  #onClose(event) {
    if (this.#ended) return;
    if (!this.#stopping && this.#ready && event.code === 1006 && this.#resume) {
      this.#resumeLater(); // lost without a close (1006): the network, not the server, ended it
      return;
    }
    if (this.#stopping) {
      this.#finish('stopped', null);
    } else if (event.code === 1000) {
      // The server ended the session (its `stop`, or the session's own end). Before `ready` that is a failure to start.
      this.#finish(this.#starting ? 'failed' : 'stopped',
        this.#starting ? new VoiceAgentError('closed', `The server closed the connection before it was ready${event.reason ? `: ${event.reason}` : ''}.`, { closeCode: 1000 }) : null);
    } else {
      this.#finish('failed', closeError(event, this.#url, Boolean(this.#starting)));
    }
  }

  // Pings the socket while the session lives; one that carries no pong for a while is given up and the session taken
  // back on a new one (a network gone silent closes nothing: without this the page would wait on a dead socket).
  #startHeartbeat() {
    const every = this.#options.heartbeatMs;
    if (!(every > 0) || this.#heartbeat.timer) return;
    const heartbeat = this.#heartbeat;
    heartbeat.timer = setInterval(() => {
      if (this.#ended || this.#stopping || this.#resuming) return;
      // Measured from the ping that waits, not from the last pong: a page whose timers the browser slowed (a hidden
      // tab) pings less often, but its socket is no less alive.
      if (heartbeat.waitingSince && performance.now() - heartbeat.waitingSince > every * 2.5) {
        if (!this.#resume) {
          this.#finish('failed', new VoiceAgentError('connection_lost', `The connection carried nothing for ${Math.round((every * 2.5) / 1000)} s.`));
          return;
        }
        const dead = this.#socket;
        this.#socket = null; // what the dead socket still says (its close, much later) is no longer heard
        try { dead?.close(); } catch { /* closing already */ }
        this.#resumeLater();
        return;
      }
      if (this.#send({ type: 'ping', id: ++heartbeat.pings }) && !heartbeat.waitingSince) heartbeat.waitingSince = performance.now();
    }, every);
  }

  // The socket was lost: stop playing (the listener hears the cut the server makes), then take the session back on a
  // new socket, trying again while the server still keeps it.
  #resumeLater() {
    if (!this.#resuming) {
      this.#resuming = { deadline: performance.now() + this.#resume.withinMs, tries: 0, timer: 0 };
      this.#player?.port.postMessage({ type: 'flush' });
      this.#setState('reconnecting');
    }
    const resuming = this.#resuming;
    const pause = RESUME_PAUSES_MS[Math.min(resuming.tries, RESUME_PAUSES_MS.length - 1)];
    if (performance.now() + pause >= resuming.deadline) {
      this.#resuming = null;
      this.#finish('failed', new VoiceAgentError('connection_lost', `The connection was lost and could not be restored within ${Math.round(this.#resume.withinMs / 1000)} s.`, { closeCode: 1006 }));
      return;
    }
    resuming.tries++;
    resuming.timer = setTimeout(() => {
      if (this.#ended || this.#stopping) return;
      this.#open({ type: 'resume', token: this.#resume.token, sampleRate: this.stats.inputSampleRate });
    }, pause);
  }

  #send(message) {
    const socket = this.#socket;
    if (this.#ended || this.#stopping || this.#starting || this.#resuming || socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  // The microphone, the nodes and the context go; idempotent.
  #releaseAudio() {
    for (const node of this.#nodes) {
      try { node.disconnect(); } catch { /* already */ }
    }
    this.#nodes = [];
    if (this.#capture) this.#capture.port.onmessage = null;
    if (this.#player) this.#player.port.onmessage = null;
    this.#capture = null;
    this.#player = null;
    if (this.#stream && this.#ownsStream) for (const track of this.#stream.getTracks()) track.stop();
    this.#stream = null;
    if (this.#context && this.#context.state !== 'closed') this.#contextClosed = this.#context.close().catch(() => {});
    this.#context = null;
    this.#playing = false;
    this.stats.samplesBuffered = 0;
    this.stats.micLevel = 0;
  }

  // The end, whatever ended it; idempotent.
  #finish(state, error) {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#readyTimer);
    clearTimeout(this.#resuming?.timer);
    this.#resuming = null;
    clearInterval(this.#heartbeat.timer);
    this.#releaseAudio();
    const socket = this.#socket;
    if (socket && socket.readyState <= WebSocket.OPEN) {
      try { socket.close(1000); } catch { /* closing already */ }
    }
    if (error) {
      this.error = error;
      this.stats.errors++;
      this.stats.lastError = { code: error.code, message: error.message, fatal: true };
    }
    // Words still awaited will not come now: their empty lines go.
    for (const itemId of [...this.#userLines.keys()]) this.#onUserPending(itemId, false);
    this.#setState(state, error);
    const starting = this.#starting;
    this.#starting = null;
    if (starting) starting.reject(error ?? stoppedError());
    else if (error && this.#ready) this.#call('onError', error); // before `ready`, start() rejects with it instead
  }

  #report(error) {
    this.stats.errors++;
    this.stats.lastError = { code: error.code, message: error.message, fatal: error.fatal };
    this.#call('onError', error);
  }

  #setState(state, error) {
    if (this.stats.state === state) return;
    this.stats.state = state;
    this.#call('onStateChange', state, error ?? null);
  }

  // The app's callbacks must not break the agent: what they throw is logged, not propagated.
  #call(name, ...args) {
    const callback = this.#options[name];
    if (typeof callback !== 'function') return;
    try {
      callback(...args);
    } catch (e) {
      console.error(`voice-agent: ${name} threw`, e);
    }
  }
}

// ws(s) URL of the endpoint: `url` resolved against the page, or the folder this module was served from.
function endpointUrl(url) {
  const u = url ? new URL(url, location.href) : new URL('.', import.meta.url);
  if (!url && u.pathname.length > 1) u.pathname = u.pathname.replace(/\/$/, '');
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  u.hash = '';
  return u.href;
}

// The device's rate when the server takes it (8-48 kHz), else 48 kHz (a 96 kHz interface, say).
function newAudioContext() {
  const context = new AudioContext({ latencyHint: 'interactive' });
  if (context.sampleRate >= 8000 && context.sampleRate <= 48000) return context;
  context.close().catch(() => {});
  return new AudioContext({ latencyHint: 'interactive', sampleRate: 48000 });
}

function stoppedError() {
  return new VoiceAgentError('stopped', 'The agent was stopped before it was ready.');
}

function closeError(event, url, starting) {
  const known = CLOSE_ERRORS[event.code];
  if (known) {
    const [code, message] = known;
    return new VoiceAgentError(code, event.reason ? `${message} (${event.reason})` : message, { closeCode: event.code });
  }
  // A refused handshake (404, 403 for a foreign Origin, 401 of the app's authorization) is a bare 1006 to a page.
  if (starting && event.code === 1006) {
    return new VoiceAgentError('connection_failed', `Could not connect to ${url} (no server there, or it refused this page).`, { closeCode: 1006 });
  }
  return new VoiceAgentError('connection_lost', `The connection closed (${event.code}${event.reason ? ` ${event.reason}` : ''}).`, { closeCode: event.code });
}

// A sentence joined to the line's text, with one space between.
function join(before, piece) {
  if (!before) return piece.trimStart();
  return /\s$/.test(before) || /^\s/.test(piece) ? before + piece : `${before} ${piece}`;
}
