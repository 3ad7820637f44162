// Microphone capture on the audio thread: mono float samples -> pcm16 chunks of a fixed duration, posted to the
// page (which sends each as one binary WebSocket message). Also reports the chunk's peak for the level meter.
class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.chunkSamples = options.processorOptions.chunkSamples;
    this.chunk = new Int16Array(this.chunkSamples);
    this.filled = 0;
    this.peak = 0;
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const left = channels[0];
    const right = channels.length > 1 ? channels[1] : null;
    for (let i = 0; i < left.length; i++) {
      let s = right ? (left[i] + right[i]) * 0.5 : left[i];
      s = s > 1 ? 1 : s < -1 ? -1 : s;
      const a = s < 0 ? -s : s;
      if (a > this.peak) this.peak = a;
      this.chunk[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
      if (this.filled === this.chunkSamples) {
        // The buffer is transferred, not copied: a new one takes its place.
        this.port.postMessage({ pcm: this.chunk.buffer, peak: this.peak }, [this.chunk.buffer]);
        this.chunk = new Int16Array(this.chunkSamples);
        this.filled = 0;
        this.peak = 0;
      }
    }
    return true;
  }
}

registerProcessor('v2v-capture', CaptureProcessor);
