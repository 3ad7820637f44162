// MCP tool use in the transcript panel (the agent's remote MCP server, whose tools the realtime service calls itself):
// the tools a server offers, once per server; each call as a small line with its tool and arguments, then its result or
// error (one line per call, updated as it runs); each approval request as a prompt with Allow and Deny buttons, which
// answer it (the page's mcp_approval message) and give way to the answer given.
// Every line is also kept in `entries` for window.v2vStats: { kind: 'tools' | 'call' | 'approval', ... }.
import { appendLine } from './transcript.js';

const MAX_SHOWN = 300;

export class McpLines {
  // answer(requestId, approve): sends the visitor's answer; false when it could not be sent (the session is over).
  constructor(list, entries, answer) {
    this.list = list;
    this.entries = entries;
    this.answer = answer;
    this.listed = new Set();
    this.calls = new Map();
    this.prompts = new Map();
    this.count = 0;
  }

  // A new session: the transcript clears the list itself.
  clear() {
    this.entries.length = 0;
    this.listed.clear();
    this.calls.clear();
    this.prompts.clear();
  }

  // mcp_tools { serverLabel, tools, failed }: shown once per server (a reconnect lists them again).
  tools(event) {
    const label = event.serverLabel || 'mcp';
    if (this.listed.has(label)) return;
    this.listed.add(label);
    const tools = Array.isArray(event.tools) ? event.tools.map(String) : [];
    const entry = { kind: 'tools', serverLabel: label, tools, failed: Boolean(event.failed) };
    this.entries.push(entry);
    const line = this.addLine('Tools');
    line.text.textContent = entry.failed
      ? `could not list the tools of ${label}`
      : `tools of ${label}: ${tools.length ? tools.join(', ') : 'none'}`;
    line.item.classList.toggle('failed', entry.failed);
  }

  // mcp_call { itemId, serverLabel, name, arguments, state, output, error }: one line per call, updated by its later states.
  call(event) {
    let call = this.calls.get(event.itemId);
    if (!call) {
      const entry = { kind: 'call', itemId: event.itemId, serverLabel: event.serverLabel, name: event.name, arguments: event.arguments || '', state: '', output: null, error: null };
      this.entries.push(entry);
      const line = this.addLine('Tool');
      const name = document.createElement('code');
      const result = document.createElement('span');
      result.className = 'result';
      line.text.append(name, ' ', result);
      call = { line, entry, name, result };
      if (event.itemId) this.calls.set(event.itemId, call);
    }
    const { line, entry, name, result } = call;
    entry.state = event.state || entry.state;
    entry.output = event.output ?? entry.output;
    entry.error = event.error ?? entry.error;
    name.textContent = `${entry.name}(${shorten(entry.arguments)})`;
    if (entry.state === 'completed') {
      result.textContent = `→ ${shorten(entry.output || '(no output)')}`;
    } else if (entry.state === 'failed') {
      result.textContent = `failed: ${shorten(entry.error || 'no reason given')}`;
    } else {
      result.textContent = '';
    }
    line.mark.textContent = entry.state === 'started' ? 'running…' : '';
    line.item.classList.toggle('partial', entry.state === 'started');
    line.item.classList.toggle('failed', entry.state === 'failed');
    line.item.scrollIntoView({ block: 'nearest' });
  }

  // mcp_approval_request { requestId, serverLabel, name, arguments }: the call waits for the visitor's Allow or Deny.
  approvalRequest(event) {
    if (!event.requestId || this.prompts.has(event.requestId)) return;
    const entry = { kind: 'approval', requestId: event.requestId, serverLabel: event.serverLabel, name: event.name, arguments: event.arguments || '', answer: null };
    this.entries.push(entry);
    const line = this.addLine('Tool');
    line.item.classList.add('approval');
    const question = document.createElement('span');
    question.id = `mcp-approval-${++this.count}`;
    const name = document.createElement('code');
    name.textContent = `${entry.name}(${shorten(entry.arguments)})`;
    question.append(`${entry.serverLabel || 'The MCP server'} asks to run `, name, '. Allow it?');
    line.text.append(question);
    const buttons = document.createElement('span');
    buttons.className = 'answers';
    buttons.setAttribute('role', 'group');
    buttons.setAttribute('aria-label', `Answer: run ${entry.name}?`);
    const allow = button('Allow', 'allow', question.id);
    const deny = button('Deny', 'deny', question.id);
    buttons.append(allow, deny);
    line.mark.append(buttons);
    const prompt = { line, entry, buttons };
    this.prompts.set(event.requestId, prompt);
    allow.addEventListener('click', () => this.decide(prompt, true));
    deny.addEventListener('click', () => this.decide(prompt, false));
    line.item.scrollIntoView({ block: 'nearest' });
  }

  // The session ended: an unanswered prompt can no longer be answered.
  endSession() {
    for (const prompt of this.prompts.values()) {
      if (prompt.entry.answer === null) this.settle(prompt, 'not answered: the session ended', false);
    }
  }

  decide(prompt, approve) {
    if (prompt.entry.answer !== null) return;
    if (!this.answer(prompt.entry.requestId, approve)) {
      this.settle(prompt, 'not sent: the session is over', true);
      return;
    }
    prompt.entry.answer = approve ? 'allowed' : 'denied';
    this.settle(prompt, approve ? 'allowed' : 'denied', true);
  }

  // The buttons give way to the answer; focus, when it was on them, moves to the answer (not lost to the page).
  settle(prompt, text, focus) {
    const answer = document.createElement('span');
    answer.className = 'answer';
    answer.tabIndex = -1;
    answer.textContent = text;
    const hadFocus = prompt.buttons.contains(document.activeElement);
    prompt.buttons.replaceWith(answer);
    if (focus && hadFocus) answer.focus();
    if (prompt.entry.answer === null) prompt.entry.answer = 'none';
  }

  addLine(who) {
    const line = appendLine(this.list, 'tool', who);
    line.item.scrollIntoView({ block: 'nearest' });
    return line;
  }
}

function button(text, className, describedBy) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = text;
  b.setAttribute('aria-describedby', describedBy);
  return b;
}

function shorten(text) {
  const s = String(text);
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
}
