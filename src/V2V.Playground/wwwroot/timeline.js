// The session drawn as it happens: your speech (from the server's speech boundaries), the agent's speech (as the
// player really played it), barge-ins, and each turn's time to first audio. Times are page milliseconds since start.
const WINDOW_MS = 30000;
const ROW = { user: 40, agent: 95 };
const ROW_HEIGHT = 26;

export class Timeline {
  constructor(canvas, model) {
    this.canvas = canvas;
    this.model = model; // { userSpans, agentSpans, interruptions, ttfa } (window.v2vStats.timeline)
    this.t0 = 0;
    this.running = false;
    this.pendingTtfa = null;
  }

  start() {
    this.t0 = performance.now();
    this.model.userSpans.length = 0;
    this.model.agentSpans.length = 0;
    this.model.interruptions.length = 0;
    this.model.ttfa.length = 0;
    this.pendingTtfa = null;
    this.running = true;
    const frame = () => {
      this.draw();
      if (this.running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  stop() {
    const now = this.now();
    for (const spans of [this.model.userSpans, this.model.agentSpans]) {
      const last = spans[spans.length - 1];
      if (last && last.end === null) last.end = now;
    }
    this.running = false;
    this.draw();
  }

  now() {
    return performance.now() - this.t0;
  }

  userSpeech(started, atMs) {
    const spans = this.model.userSpans;
    const last = spans[spans.length - 1];
    if (started) {
      if (!last || last.end !== null) spans.push({ start: atMs, end: null });
    } else if (last && last.end === null) {
      last.end = Math.max(last.start, atMs);
    }
  }

  agentSpeech(started, atMs) {
    const spans = this.model.agentSpans;
    const last = spans[spans.length - 1];
    if (started) {
      if (last && last.end === null) return;
      spans.push({ start: atMs, end: null, ttfa: this.pendingTtfa });
      this.pendingTtfa = null;
    } else if (last && last.end === null) {
      last.end = Math.max(last.start, atMs);
    }
  }

  // first_audio comes just before the audio it measures, or (on a slow page) just after that audio started.
  firstAudio(latencyMs) {
    this.model.ttfa.push(latencyMs);
    const spans = this.model.agentSpans;
    const last = spans[spans.length - 1];
    if (last && last.end === null && last.ttfa === null && this.now() - last.start < 1000) {
      last.ttfa = latencyMs;
    } else {
      this.pendingTtfa = latencyMs;
    }
  }

  interruption(atMs) {
    this.model.interruptions.push(atMs);
  }

  draw() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600;
    const height = canvas.clientHeight || 150;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    const css = getComputedStyle(canvas);
    const color = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
    const left = 56;
    const span = Math.max(1, width - left - 8);
    const end = this.running ? this.now() : Math.max(this.now(), 1);
    const from = Math.max(0, end - WINDOW_MS);
    const x = (t) => left + ((t - from) / WINDOW_MS) * span;

    g.clearRect(0, 0, width, height);
    g.font = '12px sans-serif';
    g.fillStyle = color('--muted', '#666');
    g.textBaseline = 'middle';
    g.fillText('You', 8, ROW.user + ROW_HEIGHT / 2);
    g.fillText('Agent', 8, ROW.agent + ROW_HEIGHT / 2);
    g.strokeStyle = color('--grid', '#ddd');
    g.textBaseline = 'alphabetic';
    for (let s = Math.ceil(from / 5000) * 5000; s <= end; s += 5000) {
      g.beginPath();
      g.moveTo(x(s), 20);
      g.lineTo(x(s), height - 14);
      g.stroke();
      g.fillText(`${s / 1000}s`, x(s) + 2, height - 2);
    }
    g.fillStyle = color('--user', '#2b6cb0');
    for (const s of this.model.userSpans) this.bar(g, x, s, ROW.user, end, from);
    g.fillStyle = color('--agent', '#2f855a');
    for (const s of this.model.agentSpans) this.bar(g, x, s, ROW.agent, end, from);
    g.fillStyle = color('--text', '#222');
    for (const s of this.model.agentSpans) {
      if (s.ttfa !== null && s.start >= from) {
        g.fillText(`TTFA ${Math.round(s.ttfa)} ms`, x(s.start), ROW.agent - 6);
      }
    }
    g.strokeStyle = color('--cut', '#c53030');
    g.lineWidth = 2;
    for (const t of this.model.interruptions) {
      if (t < from) continue;
      g.beginPath();
      g.moveTo(x(t), ROW.user - 6);
      g.lineTo(x(t), ROW.agent + ROW_HEIGHT + 6);
      g.stroke();
    }
    g.lineWidth = 1;
    this.describe();
  }

  bar(g, x, s, top, end, from) {
    const stop = s.end === null ? end : s.end;
    if (stop < from) return;
    const a = x(Math.max(s.start, from));
    g.fillRect(a, top, Math.max(2, x(stop) - a), ROW_HEIGHT);
  }

  describe() {
    const m = this.model;
    const ttfa = m.ttfa.length ? `; time to first audio ${m.ttfa.map((t) => `${Math.round(t)} ms`).join(', ')}` : '';
    const label = `Session timeline: ${m.userSpans.length} user speech spans, ${m.agentSpans.length} agent speech spans, ` +
      `${m.interruptions.length} barge-ins${ttfa}.`;
    if (this.canvas.getAttribute('aria-label') !== label) this.canvas.setAttribute('aria-label', label);
  }
}
