// The transcript panel: one line per turn. A user line is replaced by each newer text and closed by the final one;
// an agent line grows sentence by sentence and is closed by its final piece. A barge-in (the flush) marks the agent's
// turn interrupted: its open line, or, when its voice was heard but none of its words had come yet (words come once
// their sentence has been heard), a line of its own. The cut turn's closing piece comes right after the flush when
// some of its words were heard (the sentence being spoken, up to the cut); it fills that line rather than opening
// another. Any other piece of the agent's begins its next turn.
// The service transcribes a spoken turn after it has begun answering it: a turn whose words are pending gets its line
// at once (an ellipsis), before the answer's, and its words fill it when they come (by item id); a turn whose words
// will not come loses its line.
// Every line is also kept in `entries` ({ role, text, final, interrupted }) for window.v2vStats.
// A line of the transcript panel: who speaks, the text, and a mark (interrupted, running...), appended to `list`.
export function appendLine(list, kind, who) {
  const item = document.createElement('li');
  item.className = `line ${kind}`;
  const label = document.createElement('span');
  label.className = 'who';
  label.textContent = who;
  const text = document.createElement('span');
  text.className = 'text';
  const mark = document.createElement('span');
  mark.className = 'mark';
  item.append(label, text, mark);
  list.append(item);
  return { item, text, mark };
}

export class Transcript {
  constructor(list, entries) {
    this.list = list;
    this.entries = entries;
    this.open = { user: null, assistant: null };
    this.agentVoiceUnclosed = false;
    this.cutLine = null;
    this.awaiting = new Map();
  }

  clear() {
    this.list.replaceChildren();
    this.entries.length = 0;
    this.open = { user: null, assistant: null };
    this.agentVoiceUnclosed = false;
    this.cutLine = null;
    this.awaiting.clear();
  }

  // The session ended: lines kept for words still to come go.
  endPending() {
    for (const itemId of [...this.awaiting.keys()]) this.pending(itemId, false);
  }

  // A user turn's words are pending (its line is kept, in place), or will not come (its line goes).
  pending(itemId, isPending) {
    if (!itemId) return;
    if (isPending) {
      if (this.awaiting.has(itemId)) return;
      const line = this.addLine('user');
      this.awaiting.set(itemId, line);
      this.render(line);
      return;
    }
    const line = this.awaiting.get(itemId);
    if (!line) return;
    this.awaiting.delete(itemId);
    line.item.remove();
    const at = this.entries.indexOf(line.entry);
    if (at >= 0) this.entries.splice(at, 1);
  }

  // The user typed a turn: its line, final at once (typed words have no transcript to wait for).
  typed(text) {
    const line = this.addLine('user');
    line.entry.text = text;
    line.entry.final = true;
    line.entry.typed = true;
    this.render(line);
  }

  // The agent's voice is playing: a turn is under way even before its first words arrive.
  agentVoice() {
    this.agentVoiceUnclosed = true;
  }

  interrupt() {
    let line = this.open.assistant;
    if (!line && !this.agentVoiceUnclosed) return;
    if (!line) {
      line = this.addLine('assistant');
      line.entry.final = true;
      this.cutLine = line; // its closing piece, with the words heard, may follow
    }
    line.entry.interrupted = true;
    this.agentVoiceUnclosed = false;
    this.render(line);
  }

  update(message) {
    const role = message.role === 'user' ? 'user' : 'assistant';
    const kept = role === 'user' && message.itemId ? this.awaiting.get(message.itemId) : undefined;
    if (kept) {
      this.awaiting.delete(message.itemId);
      kept.entry.text = message.text;
      kept.entry.final = kept.entry.final || Boolean(message.final);
      this.render(kept);
      return;
    }
    if (role === 'assistant') {
      const cut = this.cutLine;
      this.cutLine = null;
      if (cut && !this.open.assistant && message.final && message.interrupted) {
        cut.entry.text = join(cut.entry.text, message.text || '');
        this.render(cut);
        return;
      }
    }
    let line = this.open[role];
    if (!line) {
      line = this.addLine(role);
      this.open[role] = line;
    }
    const entry = line.entry;
    if (role === 'user') {
      entry.text = message.text;
    } else if (message.text) {
      entry.text = join(entry.text, message.text);
    }
    if (message.final) {
      entry.final = true;
      entry.interrupted = entry.interrupted || Boolean(message.interrupted);
      this.open[role] = null;
      if (role === 'assistant') this.agentVoiceUnclosed = false;
    }
    this.render(line);
  }

  addLine(role) {
    const { item, text, mark } = appendLine(this.list, role, role === 'user' ? 'You' : 'Agent');
    const entry = { role, text: '', final: false, interrupted: false };
    this.entries.push(entry);
    return { item, text, mark, entry };
  }

  render(line) {
    const { item, text, mark, entry } = line;
    text.textContent = entry.text || (entry.role === 'user' && !entry.final ? '…' : ''); // words still to come
    item.classList.toggle('partial', !entry.final);
    item.classList.toggle('interrupted', entry.interrupted);
    mark.textContent = entry.interrupted ? 'interrupted' : '';
    item.scrollIntoView({ block: 'nearest' });
  }
}

function join(before, piece) {
  if (!before) return piece.trimStart();
  return /\s$/.test(before) || /^\s/.test(piece) ? before + piece : `${before} ${piece}`;
}
