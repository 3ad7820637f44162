// The playground page: settings, start/stop, the microphone to the server, the agent's voice back, typed turns,
// transcript (with the agent's MCP tool use) and timeline. The wire protocol is described in src/V2V.Playground/PROTOCOL.md.
import { Transcript } from './transcript.js';
import { McpLines } from './mcp.js';
import { Timeline } from './timeline.js';
import { PlayedItems } from './voice-agent-played.js';

const CHUNK_MS = 20;

// What the page measured, for people with devtools open and for the end-to-end tests.
const stats = {
  state: 'idle',
  backend: null,
  session: null,
  playedSamples: 0,
  bufferedSamples: 0,
  framesReceived: 0,
  micChunksSent: 0,
  flushes: 0,
  samplesReceived: 0, // the agent's voice received, in its samples (24 kHz)
  samplesFlushed: 0,  // of those, dropped from the player by flushes
  lastPlayed: null,   // { itemId, ms }: the last 'played' report (how far into which answer the listener was)
  lastFlush: null, // { droppedSamples, bufferedAfter } as the player reported it
  transcript: [],
  mcp: [],
  events: [],
  errors: [],
  notices: [],
  timeline: { userSpans: [], agentSpans: [], interruptions: [], ttfa: [] },
};
window.v2vStats = stats;

const $ = (id) => document.getElementById(id);
const transcript = new Transcript($('transcript'), stats.transcript);
const timeline = new Timeline($('timeline'), stats.timeline);
const mcp = new McpLines($('transcript'), stats.mcp, (requestId, approve) => session?.send({ type: 'mcp_approval', requestId, approve }) ?? false);
let session = null;

function setState(state) {
  stats.state = state;
  $('state').textContent = state;
  const busy = state !== 'idle' && state !== 'stopped' && state !== 'failed';
  $('start').disabled = busy;
  $('stop').disabled = !busy;
  for (const id of ['voice', 'turn-mode', 'instructions']) $(id).disabled = busy;
  // Typed turns need the server's graph: from its ready until the session ends.
  const typing = busy && state !== 'starting';
  $('typed-text').disabled = !typing;
  $('send').disabled = !typing;
}

function showError(message) {
  stats.errors.push(message);
  $('error').textContent = message;
  $('error').hidden = false;
}

async function loadInfo() {
  try {
    const response = await fetch('api/info', { cache: 'no-store' });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    const info = await response.json();
    stats.backend = info.backend;
    $('backend').textContent = `Backend: ${info.description}`;
    $('backend').dataset.backend = info.backend;
    fill($('voice'), info.voices, 'alloy');
    fill($('turn-mode'), info.turnModes, 'server_vad');
  } catch (error) {
    $('backend').textContent = 'Backend: unknown (the server did not answer)';
    showError(`Could not reach the server: ${error.message}`);
  }
}

function fill(select, values, selected) {
  select.replaceChildren(...values.map((v) => new Option(v.replaceAll('_', ' '), v, v === selected, v === selected)));
}

class Session {
  constructor(settings) {
    this.settings = settings;
    this.closed = false;
    // How far into which of the agent's items the listener is: told to the server ('played'), which truncates there.
    this.played = new PlayedItems();
  }

  async open() {
    setState('starting');
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    this.capture = new AudioContext();
    if (this.capture.sampleRate > 48000 || this.capture.sampleRate < 8000) {
      await this.capture.close();
      this.capture = new AudioContext({ sampleRate: 48000 });
    }
    this.playback = new AudioContext({ sampleRate: 24000, latencyHint: 'interactive' });
    await Promise.all([
      this.capture.audioWorklet.addModule('voice-agent-capture.js'),
      this.playback.audioWorklet.addModule('player-worklet.js'),
    ]);
    this.player = new AudioWorkletNode(this.playback, 'v2v-player', { outputChannelCount: [1] });
    this.player.port.onmessage = (e) => this.onPlayer(e.data);
    this.player.connect(this.playback.destination);
    await Promise.all([this.capture.resume(), this.playback.resume()]);

    const url = new URL('ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => this.ws.send(JSON.stringify({
      type: 'start',
      sampleRate: this.capture.sampleRate,
      reportsPlayed: true, // this page sends 'played' as its player plays
      voice: this.settings.voice,
      instructions: this.settings.instructions,
      turnMode: this.settings.turnMode,
    }));
    this.ws.onmessage = (e) => (typeof e.data === 'string' ? this.onEvent(JSON.parse(e.data)) : this.onAudio(e.data));
    this.ws.onclose = (e) => this.close(e.code === 1000 || this.closed ? null : `The connection closed (${e.code} ${e.reason || 'no reason'}).`);
  }

  // The microphone is connected only once the server's graph is ready: nothing is captured for nobody.
  startMicrophone(sampleRate) {
    const source = this.capture.createMediaStreamSource(this.stream);
    this.captureNode = new AudioWorkletNode(this.capture, 'voice-agent-capture', {
      numberOfOutputs: 1,
      processorOptions: { chunkSamples: Math.round((sampleRate * CHUNK_MS) / 1000) },
    });
    this.captureNode.port.onmessage = (e) => {
      $('mic-level').value = e.data.peak;
      if (this.ws.readyState === WebSocket.OPEN) {
        this.ws.send(e.data.pcm);
        stats.micChunksSent++;
      }
    };
    // A node nobody listens to may not be pulled: route it, muted, to the output.
    const mute = new GainNode(this.capture, { gain: 0 });
    source.connect(this.captureNode).connect(mute).connect(this.capture.destination);
  }

  // Sends a JSON message; false when the socket is not open (the session is over).
  send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  onAudio(data) {
    stats.framesReceived++;
    stats.samplesReceived += data.byteLength >> 1;
    transcript.agentVoice();
    this.player.port.postMessage({ type: 'audio', pcm: data }, [data]);
  }

  onEvent(message) {
    switch (message.type) {
      case 'ready':
        stats.session = message.session;
        $('backend').textContent = `Backend: ${message.description}`;
        setState('listening');
        this.startMicrophone(this.capture.sampleRate);
        this.micStart = timeline.now();
        break;
      case 'transcript':
        transcript.update(message);
        break;
      case 'audio_item':
        this.played.begin(message.itemId, stats.samplesReceived, message.startMs);
        break;
      case 'flush':
        stats.flushes++;
        this.player.port.postMessage({ type: 'flush' });
        timeline.interruption(timeline.now());
        transcript.interrupt();
        break;
      case 'event':
        this.onSessionEvent(message);
        break;
      case 'notice':
        stats.notices.push(message);
        $('notice').textContent = message.message;
        $('notice').hidden = false;
        break;
      case 'error':
        showError(message.message);
        if (message.fatal) this.close(message.message, { shown: true });
        break;
    }
  }

  onSessionEvent(event) {
    stats.events.push(event);
    switch (event.kind) {
      case 'user_speech_started':
      case 'user_speech_stopped': {
        // audio_ms is a position in the audio sent since the microphone started; arrival time is the fallback.
        const now = timeline.now();
        const at = typeof event.audioMs === 'number' && this.micStart + event.audioMs <= now ? this.micStart + event.audioMs : now;
        timeline.userSpeech(event.kind === 'user_speech_started', at);
        if (event.kind === 'user_speech_started') setState('hearing you');
        break;
      }
      case 'user_transcript_pending':
        transcript.pending(event.itemId, event.pending);
        break;
      case 'first_audio':
        timeline.firstAudio(event.latencyMs);
        break;
      case 'mcp_tools':
        mcp.tools(event);
        break;
      case 'mcp_call':
        mcp.call(event);
        break;
      case 'mcp_approval_request':
        mcp.approvalRequest(event);
        break;
      case 'state':
        if (event.state && !['connected', 'ready'].includes(event.state)) stats.sessionState = event.state;
        break;
    }
  }

  onPlayer(message) {
    switch (message.type) {
      case 'stats':
        stats.playedSamples = message.played;
        stats.bufferedSamples = message.buffered;
        break;
      case 'flushed':
        stats.playedSamples = message.played;
        stats.bufferedSamples = message.buffered;
        stats.lastFlush = { droppedSamples: message.dropped, bufferedAfter: message.buffered, playedMs: stats.lastPlayed?.ms ?? null, itemId: stats.lastPlayed?.itemId ?? null };
        this.played.cut(message.played + stats.samplesFlushed);
        stats.samplesFlushed += message.dropped;
        break;
      case 'started':
        timeline.agentSpeech(true, timeline.now());
        setState('agent speaking');
        break;
      case 'stopped':
        timeline.agentSpeech(false, timeline.now() - message.lateMs);
        if (stats.state === 'agent speaking') setState('listening');
        break;
    }
    // What the player played, as it plays (its reports come every 50 ms).
    if (typeof message.played === 'number') {
      const report = this.played.next(message.played + stats.samplesFlushed, 24000);
      if (report && this.send({ type: 'played', ...report })) stats.lastPlayed = report;
    }
  }

  stop() {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'stop' }));
    this.close(null);
  }

  close(error, { shown = false } = {}) {
    if (this.closed) return;
    this.closed = true;
    if (error && !shown) showError(error);
    for (const track of this.stream ? this.stream.getTracks() : []) track.stop();
    this.capture?.close();
    this.playback?.close();
    if (this.ws && this.ws.readyState === WebSocket.OPEN) setTimeout(() => this.ws.close(1000), 2000);
    timeline.stop();
    transcript.endPending(); // words still to come will not come now
    mcp.endSession();
    setState(error ? 'failed' : 'stopped');
    if (session === this) session = null;
  }
}

async function start(event) {
  event.preventDefault();
  if (session) return;
  $('error').hidden = true;
  $('notice').hidden = true;
  transcript.clear();
  mcp.clear();
  Object.assign(stats, { playedSamples: 0, bufferedSamples: 0, framesReceived: 0, micChunksSent: 0, flushes: 0, lastFlush: null });
  stats.events.length = 0;
  stats.errors.length = 0;
  timeline.start();
  session = new Session({ voice: $('voice').value, turnMode: $('turn-mode').value, instructions: $('instructions').value.trim() });
  try {
    await session.open();
  } catch (error) {
    session?.close(`Could not start: ${error.message}`);
  }
}

// A typed turn: sent as text, shown at once as the user's line (the server sends no transcript of typed words).
function sendTyped(event) {
  event.preventDefault();
  const text = $('typed-text').value.trim();
  if (!text || !session?.send({ type: 'text', text })) return;
  transcript.typed(text);
  $('typed-text').value = '';
}

$('settings').addEventListener('submit', start);
$('typed').addEventListener('submit', sendTyped);
$('stop').addEventListener('click', () => session?.stop());
setState('idle');
loadInfo();
