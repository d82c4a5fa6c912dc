// The demo: a team's live task board, chat with typing indicators and presence, on the gateway's
// own browser client. Tasks load over HTTP; the room resumes from the position that load reflects.
import { GatewayClient } from '/client/gateway-client.js';

const STATUSES = ['pending', 'in-progress', 'review', 'done', 'deferred', 'cancelled'];
const NEXT_STATUS = { pending: 'in-progress', 'in-progress': 'review', review: 'done', done: 'pending', deferred: 'pending', cancelled: 'pending' };
const TYPING_EVERY_MS = 2000;
const TYPING_SHOWN_MS = 3500;
const PRESENCE_EVERY_MS = 5000;
const MAX_MESSAGES = 200;

const $ = (selector) => document.querySelector(selector);

function credentials() {
  const query = new URLSearchParams(location.search);
  const team = query.get('team') ?? sessionStorage.getItem('demo.team');
  const token = query.get('token') ?? sessionStorage.getItem('demo.token');
  if (query.has('token')) {
    // Keep the token for reloads of this tab, out of the address bar and the history.
    sessionStorage.setItem('demo.token', token);
    sessionStorage.setItem('demo.team', team ?? '');
    query.delete('token');
    history.replaceState(null, '', `${location.pathname}?${query}`);
  }
  return { team, token };
}

function userOf(token) {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub;
  } catch {
    return undefined;
  }
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

class Api {
  constructor(token) {
    this.token = token;
  }

  async call(method, path, { body, headers = {} } = {}) {
    const response = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok && response.status !== 304) {
      throw new Error(json?.detail ?? `${method} ${path}: ${response.status}`);
    }
    return { response, json };
  }
}

class Board {
  #tasks = new Map();

  constructor(root) {
    this.root = root;
    this.columns = new Map(STATUSES.map((status) => {
      const list = element('div', { class: 'cards' });
      root.append(element('div', { class: 'column', 'data-status': status }, element('h3', {}, status), list));
      return [status, list];
    }));
    this.onAdvance = () => {};
  }

  /** Replaces every task: the state a reload read. */
  replace(tasks) {
    this.#tasks = new Map(tasks.map((task) => [task.id, task]));
    this.render();
  }

  /** Applies a task event; an older version than the one shown changes nothing. */
  apply(event) {
    const task = event.data;
    if (event.event === 'task.deleted') {
      this.#tasks.delete(task.id);
    } else {
      const shown = this.#tasks.get(task.id);
      if (shown && shown.version >= task.version) {
        return;
      }
      this.#tasks.set(task.id, task);
    }
    this.render(task.id);
  }

  get size() {
    return this.#tasks.size;
  }

  render(fresh) {
    for (const list of this.columns.values()) {
      list.replaceChildren();
    }
    const ordered = [...this.#tasks.values()].sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
    for (const task of ordered) {
      const card = element('article', {
        class: task.id === fresh ? 'task fresh' : 'task',
        'data-task-id': task.id,
        'data-status': task.status,
        'data-priority': task.priority,
        'data-version': String(task.version),
      },
      element('div', { class: 'title' }, task.title),
      element('div', { class: 'meta' },
        element('span', {}, `${task.priority} · v${task.version}${task.assignee ? ` · ${task.assignee}` : ''}`),
        element('button', { class: 'small', type: 'button', title: `Move to ${NEXT_STATUS[task.status]}`, onclick: () => this.onAdvance(task) }, '→')));
      (this.columns.get(task.status) ?? this.columns.get('pending')).append(card);
    }
  }
}

class Chat {
  #messages = new Map();
  #typing = new Map();

  constructor(list, typingLine, me) {
    this.list = list;
    this.typingLine = typingLine;
    this.me = me;
  }

  /** A stored chat event; shown once however often it arrives (history, replay, live). */
  add(event) {
    if (this.#messages.has(event.seq)) {
      return;
    }
    this.#messages.set(event.seq, event);
    while (this.#messages.size > MAX_MESSAGES) {
      this.#messages.delete(Math.min(...this.#messages.keys()));
    }
    this.#typing.delete(event.from);
    this.render();
  }

  typing(user) {
    if (user === this.me) {
      return;
    }
    this.#typing.set(user, Date.now() + TYPING_SHOWN_MS);
    this.renderTyping();
    setTimeout(() => this.renderTyping(), TYPING_SHOWN_MS + 50);
  }

  render() {
    const ordered = [...this.#messages.values()].sort((a, b) => a.seq - b.seq);
    this.list.replaceChildren(...ordered.map((m) => element('li', { 'data-seq': String(m.seq) },
      element('span', { class: 'from' }, m.from ?? 'server'), String(m.data?.text ?? ''))));
    this.list.scrollTop = this.list.scrollHeight;
    this.renderTyping();
  }

  renderTyping() {
    const now = Date.now();
    const who = [...this.#typing].filter(([, until]) => until > now).map(([user]) => user);
    this.typingLine.textContent = who.length === 0 ? '' : `${who.join(', ')} ${who.length === 1 ? 'is' : 'are'} typing…`;
  }
}

async function start() {
  const { team, token } = credentials();
  if (!team || !token) {
    const form = $('#sign-in');
    form.hidden = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      location.search = new URLSearchParams({ team: data.get('team'), token: data.get('token') }).toString();
    });
    return;
  }
  const me = userOf(token);
  const roomName = `team-${team}`;
  $('#team-name').textContent = team;
  document.title = `Team ${team} · Event Gateway demo`;
  $('#app').hidden = false;

  const api = new Api(token);
  const board = new Board($('#columns'));
  const chat = new Chat($('#messages'), $('#typing'), me);
  let eventCount = 0;

  /** Every task of the team, and the room position that answer reflects (the lowest of its pages). */
  async function loadTasks() {
    const tasks = [];
    let cursor = null;
    let position;
    do {
      const { response, json } = await api.call('GET', `/api/teams/${encodeURIComponent(team)}/tasks?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      const seq = Number(response.headers.get('X-Room-Seq'));
      if (!position || seq < position.seq) {
        position = { seq, epoch: response.headers.get('X-Room-Epoch') };
      }
      tasks.push(...json.items);
      cursor = json.next;
    } while (cursor);
    board.replace(tasks);
    return position;
  }

  async function loadChat(upTo) {
    const since = Math.max(0, upTo - 100);
    const { json } = await api.call('GET', `/api/rooms/${roomName}/events?since=${since}&limit=100`);
    json.items.filter((e) => e.event === 'chat.message' && e.seq <= upTo).forEach((e) => chat.add(e));
  }

  async function loadPresence() {
    try {
      const { json } = await api.call('GET', `/api/rooms/${roomName}/presence`);
      $('#members').replaceChildren(...json.members.map((m) => element('li', { 'data-user': m.user }, m.user)));
    } catch {
      // Shown again at the next poll.
    }
  }

  const position = await loadTasks();
  await loadChat(position.seq);

  const client = new GatewayClient(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, {
    token: () => sessionStorage.getItem('demo.token') ?? token,
  });
  const room = client.room(roomName, {
    since: position.seq,
    epoch: position.epoch,
    // The room's history could not be replayed: read the board again and resume from there.
    onReload: () => loadTasks(),
  });

  const connection = $('#connection');
  client.on('state', ({ state, code, reason, terminal }) => {
    connection.dataset.state = state;
    $('#connection-text').textContent = state === 'disconnected' && code ? `disconnected (${code} ${reason})${terminal ? ' – reload to retry' : ''}` : state;
    if (state === 'connected') {
      loadPresence();
    }
  });
  client.on('reconnecting', ({ delay }) => {
    $('#connection-text').textContent = `reconnecting in ${(delay / 1000).toFixed(1)} s`;
  });
  room.on('state', ({ state }) => {
    $('#room-state').textContent = state;
    if (state === 'subscribed') {
      loadPresence();
    }
  });
  room.on('event', (event) => {
    eventCount++;
    $('#event-count').textContent = String(eventCount);
    if (event.seq !== undefined) {
      $('#room-position').textContent = `${event.seq} · ${room.position.epoch ?? ''}`;
    }
    if (event.event.startsWith('task.')) {
      board.apply(event);
    } else if (event.event === 'chat.message') {
      chat.add(event);
    } else if (event.event === 'typing') {
      chat.typing(event.from ?? event.data?.user);
    }
  });
  room.on('reloaded', ({ seq }) => {
    $('#room-position').textContent = `${seq} (reloaded)`;
  });

  board.onAdvance = async (task) => {
    await api.call('PATCH', `/api/tasks/${task.id}`, {
      body: { status: NEXT_STATUS[task.status] },
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': `"v${task.version}"` },
    }).catch((error) => alert(error.message));
  };

  $('#new-task').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const data = new FormData(form);
    await api.call('POST', `/api/teams/${encodeURIComponent(team)}/tasks`, {
      body: { title: data.get('title'), priority: data.get('priority') },
      headers: { 'idempotency-key': crypto.randomUUID() },
    }).then(() => form.reset()).catch((error) => alert(error.message));
  });

  let typingSentAt = 0;
  const say = $('#say');
  say.text.addEventListener('input', () => {
    if (Date.now() - typingSentAt > TYPING_EVERY_MS) {
      typingSentAt = Date.now();
      room.publish('typing', { user: me }, { volatile: true });
    }
  });
  say.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = say.text.value.trim();
    if (!text) return;
    say.text.value = '';
    const pending = element('li', { class: 'pending' }, element('span', { class: 'from' }, me ?? ''), text);
    $('#messages').append(pending);
    try {
      // Durable, with an id: sent again after a reconnect until acknowledged, stored once.
      await room.publish('chat.message', { text });
    } catch (error) {
      pending.textContent = `not sent: ${error.message}`;
      return;
    }
    pending.remove();
  });

  setInterval(loadPresence, PRESENCE_EVERY_MS);
  room.subscribe();
  client.connect();
  window.demo = { client, room, board, stats: () => ({ events: eventCount, tasks: board.size }) };
}

start().catch((error) => {
  $('#connection-text').textContent = `cannot start: ${error.message}`;
});
