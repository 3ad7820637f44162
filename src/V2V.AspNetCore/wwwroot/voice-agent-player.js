// The agent's voice on the audio thread (AudioWorklet `voice-agent-player`, loaded by voice-agent.js).
//
// The server sends pcm16 at its `outputSampleRate` (10 ms per message, paced in real time); the page posts each message
// here. The samples wait in a ring buffer and are played at the AudioContext's own rate, resampled by linear
// interpolation (the page uses one AudioContext for microphone and voice, see voice-agent.js). Playback of a turn starts
// once `startMs` is buffered, to ride over network jitter; a `flush` (barge-in) empties the buffer at once. The player
// reports what it really played, in the server's samples, so the page can tell audio heard from audio received.
//
// Messages in:  { type: 'audio', pcm: ArrayBuffer }   { type: 'flush' }
// Messages out: { type: 'started' | 'stopped', played, buffered }   { type: 'flushed', dropped, buffered, played }
//               { type: 'stats', played, buffered, overflow }   (every REPORT_MS)
// `played` counts the server's samples consumed by playback since the start: after a turn has played out it equals
// what was received, less what flushes dropped (and the ring's overflow, never expected).
const RING_SECONDS = 30;    // far more than a paced server ever puts ahead; only a stalled audio thread fills it
const SILENT_END_MS = 300;  // an underrun shorter than this is jitter inside a turn, a longer one ends the turn
const REPORT_MS = 50;

class VoiceAgentPlayer extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const { inputSampleRate, startMs } = options.processorOptions;
    this.step = inputSampleRate / sampleRate; // input samples per output sample (`sampleRate`: the context's)
    this.startSamples = Math.max(1, Math.round((inputSampleRate * startMs) / 1000));
    this.silentEnd = Math.round((sampleRate * SILENT_END_MS) / 1000);
    this.reportEvery = Math.round((sampleRate * REPORT_MS) / 1000);
    this.ring = new Float32Array(Math.round(inputSampleRate * RING_SECONDS));
    this.read = 0;     // ring index of the current input sample
    this.count = 0;    // input samples buffered, from `read` on
    this.frac = 0;     // position between ring[read] and the next sample, 0 <= frac < 1
    this.played = 0;   // input samples played since the start
    this.overflow = 0; // input samples dropped because the ring was full
    this.playing = false;
    this.silent = 0;
    this.sinceReport = 0;
    this.port.onmessage = (e) => (e.data.type === 'audio' ? this.push(new Int16Array(e.data.pcm)) : e.data.type === 'flush' && this.flush());
  }

  push(pcm) {
    const size = this.ring.length;
    for (let i = 0; i < pcm.length; i++) {
      if (this.count === size) { // full: the oldest sample goes
        this.read = (this.read + 1) % size;
        this.count--;
        this.overflow++;
      }
      this.ring[(this.read + this.count) % size] = pcm[i] / 32768;
      this.count++;
    }
  }

  flush() {
    const dropped = this.count;
    this.read = 0;
    this.count = 0;
    this.frac = 0;
    const wasPlaying = this.playing;
    this.playing = false;
    this.port.postMessage({ type: 'flushed', dropped, buffered: this.count, played: this.played });
    if (wasPlaying) this.port.postMessage({ type: 'stopped', played: this.played, buffered: 0 });
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    if (!this.playing && this.count >= this.startSamples) {
      this.playing = true;
      this.silent = 0;
      this.port.postMessage({ type: 'started', played: this.played, buffered: this.count });
    }
    let n = 0;
    if (this.playing) {
      const ring = this.ring;
      const size = ring.length;
      const step = this.step;
      while (n < out.length) {
        // Between two samples both must be here; the step must not pass the end of what is buffered.
        const advance = Math.floor(this.frac + step);
        if (this.count < Math.max(this.frac === 0 ? 1 : 2, advance)) break;
        const a = ring[this.read];
        out[n++] = this.frac === 0 ? a : a + (ring[(this.read + 1) % size] - a) * this.frac;
        this.frac += step - advance;
        this.read = (this.read + advance) % size;
        this.count -= advance;
        this.played += advance;
      }
      this.silent = n < out.length ? this.silent + out.length - n : 0;
      if (this.silent >= this.silentEnd) {
        // The turn is over. The last sample, kept for interpolation, goes (counted: it was the turn's end, 1/24000 s)
        // rather than open the next turn.
        this.read = (this.read + this.count) % size;
        this.played += this.count;
        this.count = 0;
        this.frac = 0;
        this.playing = false;
        this.port.postMessage({ type: 'stopped', played: this.played, buffered: 0 });
      }
    }
    out.fill(0, n);
    this.sinceReport += out.length;
    if (this.sinceReport >= this.reportEvery) {
      this.sinceReport = 0;
      this.port.postMessage({ type: 'stats', played: this.played, buffered: this.count, overflow: this.overflow });
    }
    return true;
  }
}

registerProcessor('voice-agent-player', VoiceAgentPlayer);
