// The microphone on the audio thread (AudioWorklet `voice-agent-capture`, loaded by voice-agent.js).
// Float samples in, at the AudioContext's rate -> mono pcm16 chunks of `chunkSamples` out, each posted to the page as a
// transferred ArrayBuffer that the page sends as one binary WebSocket message. The audio thread does the per-sample
// work so the page's main thread (layout, the app's own code) never delays or drops microphone audio.
class VoiceAgentCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.chunkSamples = options.processorOptions.chunkSamples;
    this.chunk = new Int16Array(this.chunkSamples);
    this.filled = 0;
    this.peak = 0;
  }

  process(inputs) {
    const channels = inputs[0];
    // No input: the track is muted, ended or not connected yet. Nothing is sent rather than made-up silence.
    if (!channels || channels.length === 0) return true;
    const count = channels.length;
    const frames = channels[0].length;
    for (let i = 0; i < frames; i++) {
      // Downmix: a microphone may come as stereo even when mono was asked for.
      let s = channels[0][i];
      for (let c = 1; c < count; c++) s += channels[c][i];
      if (count > 1) s /= count;
      s = s > 1 ? 1 : s < -1 ? -1 : s;
      const a = s < 0 ? -s : s;
      if (a > this.peak) this.peak = a;
      this.chunk[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
      if (this.filled === this.chunkSamples) {
        // Transferred, not copied: a fresh buffer takes its place.
        this.port.postMessage({ pcm: this.chunk.buffer, peak: this.peak }, [this.chunk.buffer]);
        this.chunk = new Int16Array(this.chunkSamples);
        this.filled = 0;
        this.peak = 0;
      }
    }
    return true;
  }
}

registerProcessor('voice-agent-capture', VoiceAgentCapture);
