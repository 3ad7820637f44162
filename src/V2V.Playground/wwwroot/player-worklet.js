// Playback on the audio thread: a ring buffer of the agent's pcm16 audio. It starts once a little is buffered (to
// ride over network jitter), is cleared at once on flush (barge-in), and reports what was really played, so the
// page measures audio as heard, not as received.
const RING_SECONDS = 20;
const START_MS = 60;        // buffered before a turn starts to play
const SILENT_END_MS = 300;  // an underrun shorter than this is a hiccup, not the end of a turn
const REPORT_MS = 50;

class PlayerProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ring = new Float32Array(sampleRate * RING_SECONDS);
    this.read = 0;
    this.count = 0;
    this.played = 0;
    this.overflow = 0;
    this.playing = false;
    this.silentSamples = 0;
    this.sinceReport = 0;
    this.port.onmessage = (e) => this.onMessage(e.data);
  }

  onMessage(message) {
    if (message.type === 'audio') {
      this.push(new Int16Array(message.pcm));
    } else if (message.type === 'flush') {
      const dropped = this.count;
      this.read = 0;
      this.count = 0;
      const wasPlaying = this.playing;
      this.playing = false;
      this.port.postMessage({ type: 'flushed', dropped, buffered: this.count, played: this.played });
      if (wasPlaying) this.port.postMessage({ type: 'stopped', played: this.played, lateMs: 0 });
    }
  }

  push(pcm) {
    const size = this.ring.length;
    for (let i = 0; i < pcm.length; i++) {
      if (this.count === size) {  // full: the oldest sample goes (never expected: the server paces in real time)
        this.read = (this.read + 1) % size;
        this.count--;
        this.overflow++;
      }
      this.ring[(this.read + this.count) % size] = pcm[i] / 32768;
      this.count++;
    }
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    let n = 0;
    if (!this.playing && this.count >= (sampleRate * START_MS) / 1000) {
      this.playing = true;
      this.silentSamples = 0;
      this.port.postMessage({ type: 'started', played: this.played });
    }
    if (this.playing) {
      const size = this.ring.length;
      n = Math.min(out.length, this.count);
      for (let i = 0; i < n; i++) {
        out[i] = this.ring[this.read];
        this.read = (this.read + 1) % size;
      }
      this.count -= n;
      this.played += n;
      this.silentSamples = n < out.length ? this.silentSamples + (out.length - n) : 0;
      if (this.silentSamples >= (sampleRate * SILENT_END_MS) / 1000) {
        this.playing = false;
        this.port.postMessage({ type: 'stopped', played: this.played, lateMs: SILENT_END_MS });
      }
    }
    out.fill(0, n);
    this.sinceReport += out.length;
    if (this.sinceReport >= (sampleRate * REPORT_MS) / 1000) {
      this.sinceReport = 0;
      this.port.postMessage({ type: 'stats', played: this.played, buffered: this.count, overflow: this.overflow });
    }
    return true;
  }
}

registerProcessor('v2v-player', PlayerProcessor);
