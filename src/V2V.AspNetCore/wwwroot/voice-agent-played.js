// voice-agent-played.js: how far into which of the agent's items the listener is, for the `played` reports of
// PROTOCOL.md. The server names each item as its audio begins (`audio_item`); the player counts the samples it played.
// Both are indexes among all the samples received: an item begins at the count received when it was named, and the
// player's position is what it played plus what flushes dropped (never heard, but received). Used by voice-agent.js
// and by the playground's page.

const MAX_ITEMS = 16; // items kept: older ones have long played out

export class PlayedItems {
  #items = []; // { itemId, at, startMs, end }: `end`, after a flush, is where what was kept of it ends
  #last = null;

  /** The last report made: { itemId, ms }, or null. */
  get last() { return this.#last; }

  /** The audio from sample `at` on is of `itemId`, beginning `startMs` into it. */
  begin(itemId, at, startMs) {
    if (typeof itemId !== 'string' || !itemId) return;
    this.#items.push({ itemId, at, startMs: Number(startMs) || 0, end: null });
    if (this.#items.length > MAX_ITEMS) this.#items.shift();
  }

  /** A flush dropped what followed sample `at`: what was kept of the latest item ends there. */
  cut(at) {
    const latest = this.#items[this.#items.length - 1];
    if (latest) latest.end ??= at;
  }

  /**
   * The report for a player at sample `at` (played + flushed) of a voice at `rate`: { itemId, ms }, or null when there
   * is nothing new to say (nothing of an item played yet, an item cut and told, no progress since the last report).
   */
  next(at, rate) {
    if (!rate) return null;
    let item = null;
    for (let i = this.#items.length - 1; i >= 0; i--) {
      if (this.#items[i].at < at) { item = this.#items[i]; break; }
    }
    if (!item || (item.end !== null && at > item.end)) return null;
    const ms = Math.round((item.startMs + ((at - item.at) * 1000) / rate) * 10) / 10;
    if (this.#last && this.#last.itemId === item.itemId && this.#last.ms >= ms) return null;
    this.#last = { itemId: item.itemId, ms };
    return this.#last;
  }
}
