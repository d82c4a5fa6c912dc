// Client of the event gateway's WebSocket contract (docs/PROTOCOL.md, version 1.1).
// No dependencies: runs in browsers and in Node.js 20+ (pass `WebSocket` where there is no global one).

const SUBPROTOCOL = 'events.v1';
const TOKEN_SUBPROTOCOL_PREFIX = 'bearer.';

/** Close codes after which reconnecting cannot help: the token was refused, or our own frame was too big. */
const TERMINAL_CLOSE_CODES = new Set([1008, 1009]);

/** Close code the client uses when the server stopped answering (not sent by the server). */
export const HEARTBEAT_TIMEOUT_CODE = 4000;

/** Join refusals worth retrying: the gateway could not reach a store or the broker in time. */
const RETRYABLE_JOIN_ERRORS = new Set(['unavailable', 'internal', 'rate_limited']);

const DEFAULTS = Object.freeze({
  minReconnectDelay: 500,
  maxReconnectDelay: 20000,
  // A connection must stay up this long before the backoff starts again from its first step.
  stableConnectionAfter: 5000,
  // Browsers answer the server's WebSocket pings without telling the page: silence this long is
  // answered with an application ping, and no answer within the grace means the connection is dead.
  pingInterval: 25000,
  pingGrace: 10000,
  connectTimeout: 10000,
  publishTimeout: 30000,
  maxPendingPublishes: 1000,
  maxRequestsPerFrame: 100,
  // Below the gateway's defaults (500/s, burst 1000; 1024 publishes awaiting an ack): requests
  // beyond its rate are refused and count as bad input, which closes the connection.
  requestRate: 400,
  requestBurst: 800,
  maxInFlightPublishes: 512,
  maxFrameBytes: 60 * 1024,
  // A token is asked for again when it has less than this left.
  tokenRenewBefore: 30000,
});

/** Reloads of one room in a row that may still end `recovered:false` before the room gives up. */
const MAX_RELOAD_ATTEMPTS = 3;

/** An error the gateway answered (its `code`: bad_request, forbidden, …) or one the client raised. */
export class GatewayError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
  }
}

/** Full-jitter exponential backoff: a uniform delay in [0, min(max, min * 2^attempt)]. */
export function reconnectDelay(attempt, minDelay, maxDelay, random = Math.random) {
  const ceiling = Math.min(maxDelay, minDelay * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Splits one text frame into its messages; blank lines are skipped. */
export function splitFrame(text) {
  const messages = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) {
      end = text.length;
    }
    const line = text.slice(start, end).trim();
    if (line.length > 0) {
      messages.push(JSON.parse(line));
    }
    start = end + 1;
  }
  return messages;
}

/** Joins messages into frames of at most `maxCount` messages and about `maxBytes` each. */
export function packFrames(lines, maxCount, maxBytes) {
  const frames = [];
  let current = [];
  let bytes = 0;
  for (const line of lines) {
    const size = utf8Length(line) + 1;
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      frames.push(current.join('\n'));
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length > 0) {
    frames.push(current.join('\n'));
  }
  return frames;
}

function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes;
}

/** Seconds since the epoch at which a JWT expires, or undefined when it cannot be read. */
function tokenExpiry(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(payload + '='.repeat((4 - (payload.length % 4)) % 4)));
    return typeof json.exp === 'number' ? json.exp : undefined;
  } catch {
    return undefined;
  }
}

function randomId() {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('').slice(0, 12);
}

/** A minimal listener registry: `on` returns the function that removes the listener. */
class Emitter {
  #listeners = new Map();

  on(type, listener) {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit(type, value) {
    const set = this.#listeners.get(type);
    if (!set) {
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(value);
      } catch (error) {
        queueMicrotask(() => { throw error; });
      }
    }
  }
}

/**
 * One connection to the gateway, reconnecting by itself, with the rooms joined through it.
 * States: disconnected → connecting → connected; each change is a `state` event
 * `{state, previous, code, reason}`.
 */
export class GatewayClient extends Emitter {
  #url;
  #options;
  #WebSocket;
  #tokenSource;
  #token;
  #tokenRequest;
  #socket = null;
  #state = 'disconnected';
  #wanted = false;
  #attempt = 0;
  #openedAt = 0;
  #reconnectTimer = null;
  #heartbeatTimer = null;
  #awaitingPong = false;
  #outbox = [];
  #flushScheduled = false;
  #flushTimer = null;
  #tokens = 0;
  #tokensAt = 0;
  #refCounter = 0;
  #idPrefix = randomId();
  #idCounter = 0;
  #rooms = new Map();
  #publishes = new Map();
  #requests = new Map();
  #windowListeners = [];

  /**
   * @param {string} url the gateway's WebSocket URL, e.g. `wss://host/ws`
   * @param {object} options see gateway-client.d.ts
   */
  constructor(url, options = {}) {
    super();
    this.#url = url;
    this.#options = { ...DEFAULTS, ...options };
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (typeof this.#WebSocket !== 'function') {
      throw new TypeError('no WebSocket implementation: pass options.WebSocket');
    }
    const token = options.token;
    this.#tokenSource = typeof token === 'function' ? token : () => token;
    if (typeof token !== 'function' && typeof token !== 'string') {
      throw new TypeError('options.token must be a string or a function returning one');
    }
  }

  get state() {
    return this.#state;
  }

  /** Starts connecting (and keeps reconnecting until `disconnect`). */
  connect() {
    this.#wanted = true;
    this.#listenToThePage();
    if (this.#state === 'disconnected') {
      this.#cancelReconnect();
      this.#open();
    }
    return this;
  }

  /** Closes the connection and stops reconnecting; unacknowledged publishes stay queued. */
  disconnect(code = 1000, reason = 'disconnect') {
    this.#wanted = false;
    this.#cancelReconnect();
    this.#unlistenToThePage();
    const socket = this.#socket;
    if (socket) {
      this.#dropSocket();
      socket.close(1000, reason.slice(0, 100));
    }
    this.#setState('disconnected', code, reason);
  }

  /** The room of that name, created unsubscribed on first use. */
  room(name, options = {}) {
    let room = this.#rooms.get(name);
    if (!room) {
      room = new Room(this, name, options, {
        send: (message) => this.#send(message),
        nextRef: () => this.#nextRef(),
        connected: () => this.#state === 'connected',
        forget: () => this.#rooms.delete(name),
      });
      this.#rooms.set(name, room);
    } else if (options.onReload) {
      room.setReload(options.onReload);
    }
    return room;
  }

  /** Rooms created through `room()` and not yet removed. */
  rooms() {
    return [...this.#rooms.values()];
  }

  /**
   * Publishes to a room (joined or not). A durable publish resolves with its ack `{seq, duplicate}`
   * and is re-sent after a reconnect, with the same `id`, until acknowledged or timed out.
   * A volatile one resolves `true` when written, `false` when there was no connection to write to.
   */
  publish(room, event, data, options = {}) {
    if (options.volatile) {
      // Volatile events are the first thing dropped: offline, or while paced requests queue up.
      if (this.#state !== 'connected' || this.#outbox.length >= this.#options.requestBurst) {
        return Promise.resolve(false);
      }
      this.#send({ type: 'publish', room, event, data, volatile: true });
      return Promise.resolve(true);
    }
    if (this.#publishes.size >= this.#options.maxPendingPublishes) {
      return Promise.reject(new GatewayError('buffer_full',
        `${this.#publishes.size} publishes are awaiting their ack`));
    }
    const ref = this.#nextRef();
    const id = options.id ?? `${this.#idPrefix}-${(++this.#idCounter).toString(36)}`;
    const message = { type: 'publish', room, event, data, id, ref };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#publishes.delete(ref);
        reject(new GatewayError('timeout', `no ack for ${event} in ${room} within ${this.#options.publishTimeout} ms`));
      }, this.#options.publishTimeout);
      this.#publishes.set(ref, { message, resolve, reject, timer, sent: false });
      this.#sendPublishes();
    });
  }

  /** Sends an application ping and resolves when its pong arrives. */
  ping() {
    return this.#request({ type: 'ping' });
  }

  /** Sizes of the client's internal buffers (for tests and monitoring: all bounded). */
  stats() {
    return {
      pendingPublishes: this.#publishes.size,
      pendingRequests: this.#requests.size,
      queuedMessages: this.#outbox.length,
      rooms: this.#rooms.size,
      reconnectAttempt: this.#attempt,
    };
  }

  #nextRef() {
    this.#refCounter = (this.#refCounter + 1) % Number.MAX_SAFE_INTEGER;
    return `c${this.#refCounter}`;
  }

  #request(message) {
    if (this.#state !== 'connected') {
      return Promise.reject(new GatewayError('not_connected', 'not connected'));
    }
    const ref = this.#nextRef();
    return new Promise((resolve, reject) => {
      this.#requests.set(ref, { resolve, reject });
      this.#send({ ...message, ref });
    });
  }

  async #open() {
    this.#setState('connecting', 0, 'connect');
    let token;
    try {
      token = await this.#currentToken(false);
    } catch (error) {
      this.emit('error', new GatewayError('token', `the token callback failed: ${error?.message ?? error}`));
      this.#scheduleReconnect(0, 'token callback failed');
      return;
    }
    if (!this.#wanted || this.#state !== 'connecting') {
      return;
    }
    let socket;
    try {
      socket = new this.#WebSocket(this.#url, [SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + token]);
    } catch (error) {
      this.emit('error', new GatewayError('connect', String(error?.message ?? error)));
      this.#scheduleReconnect(0, 'cannot open');
      return;
    }
    this.#socket = socket;
    let opened = false;
    const lost = (code, reason) => {
      if (this.#socket !== socket) {
        return;
      }
      clearTimeout(connectTimer);
      this.#dropSocket();
      if (!opened) {
        // A refused handshake (an expired token answers 401) shows as 1006: ask for a new token.
        this.#token = undefined;
        try {
          socket.close();
        } catch {
          // Not open yet: nothing to close.
        }
      }
      this.#closed(code, reason);
    };
    const connectTimer = setTimeout(() => lost(1006, 'connect timeout'), this.#options.connectTimeout);
    socket.onopen = () => {
      clearTimeout(connectTimer);
      opened = true;
      this.#openedAt = Date.now();
      // The gateway's request budget is per connection: a new one starts full.
      this.#tokens = this.#options.requestBurst;
      this.#tokensAt = this.#openedAt;
      this.#setState('connected', 0, 'open');
      this.#resetHeartbeat();
      this.#resume();
    };
    socket.onmessage = (message) => this.#receive(message.data);
    // Some implementations report a failed handshake with an error and no close.
    socket.onerror = () => {
      if (!opened) {
        lost(1006, 'handshake failed');
      }
    };
    socket.onclose = (close) => lost(close.code, close.reason || (opened ? 'closed' : 'handshake failed'));
  }

  #closed(code, reason) {
    if (this.#openedAt && Date.now() - this.#openedAt >= this.#options.stableConnectionAfter) {
      this.#attempt = 0;
    }
    this.#openedAt = 0;
    this.#failRequests(code, reason);
    for (const room of this.#rooms.values()) {
      room.connectionLost(code, reason);
    }
    if (TERMINAL_CLOSE_CODES.has(code)) {
      this.#wanted = false;
      this.#unlistenToThePage();
      this.#setState('disconnected', code, reason, true);
      return;
    }
    if (this.#wanted) {
      this.#scheduleReconnect(code, reason);
    } else {
      this.#setState('disconnected', code, reason);
    }
  }

  #scheduleReconnect(code, reason) {
    this.#setState('disconnected', code, reason);
    if (!this.#wanted) {
      return;
    }
    const delay = reconnectDelay(this.#attempt++, this.#options.minReconnectDelay, this.#options.maxReconnectDelay);
    this.emit('reconnecting', { delay, attempt: this.#attempt, code, reason });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#wanted && this.#state === 'disconnected') {
        this.#open();
      }
    }, delay);
  }

  #cancelReconnect() {
    if (this.#reconnectTimer) {
      clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = null;
    }
  }

  /** Reconnects now when a retry is pending (the page came back online or into view). */
  #reconnectNow() {
    if (this.#wanted && this.#state === 'disconnected' && this.#reconnectTimer) {
      this.#cancelReconnect();
      this.#open();
    } else if (this.#state === 'connected') {
      // The socket may have died unseen while the page was offline or hidden: check it now.
      this.#checkAlive();
    }
  }

  #dropSocket() {
    const socket = this.#socket;
    this.#socket = null;
    this.#stopHeartbeat();
    this.#outbox = [];
    if (this.#flushTimer) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = null;
    }
    this.#flushScheduled = false;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      socket.onerror = () => {};
    }
  }

  #setState(state, code, reason, terminal = false) {
    if (state === this.#state) {
      return;
    }
    const previous = this.#state;
    this.#state = state;
    this.emit('state', { state, previous, code, reason, terminal });
  }

  /** Single flight: concurrent callers share one call of the token callback. */
  #currentToken(fresh) {
    const renewAt = this.#token ? (tokenExpiry(this.#token) ?? Infinity) * 1000 - this.#options.tokenRenewBefore : 0;
    if (!fresh && this.#token && Date.now() < renewAt) {
      return Promise.resolve(this.#token);
    }
    if (!this.#tokenRequest) {
      this.#tokenRequest = Promise.resolve()
        .then(() => this.#tokenSource())
        .then((token) => {
          if (typeof token !== 'string' || token.length === 0) {
            throw new TypeError('the token callback returned no token');
          }
          this.#token = token;
          return token;
        })
        .finally(() => { this.#tokenRequest = undefined; });
    }
    return this.#tokenRequest;
  }

  #resume() {
    for (const room of this.#rooms.values()) {
      room.resubscribe();
    }
    // Re-sent with their ids: the gateway answers a stored one `duplicate` instead of storing it again.
    for (const pending of this.#publishes.values()) {
      pending.sent = false;
    }
    this.#sendPublishes();
  }

  /** Sends unsent durable publishes, in order, while fewer than the window await their ack. */
  #sendPublishes() {
    if (this.#state !== 'connected') {
      return;
    }
    let inFlight = 0;
    for (const pending of this.#publishes.values()) {
      if (pending.sent) {
        inFlight++;
      }
    }
    for (const pending of this.#publishes.values()) {
      if (inFlight >= this.#options.maxInFlightPublishes) {
        return;
      }
      if (!pending.sent) {
        pending.sent = true;
        inFlight++;
        this.#send(pending.message);
      }
    }
  }

  #send(message) {
    if (!this.#socket) {
      return;
    }
    this.#outbox.push(JSON.stringify(message));
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#flush());
    }
  }

  // Everything sent within one task leaves in as few frames as the gateway's limits allow.
  // Requests leave at most at the client's request rate; the rest wait their turn, in order.
  #flush() {
    this.#flushScheduled = false;
    this.#flushTimer = null;
    const socket = this.#socket;
    if (!socket || this.#outbox.length === 0 || socket.readyState !== 1) {
      return;
    }
    const now = Date.now();
    const { requestRate, requestBurst } = this.#options;
    this.#tokens = Math.min(requestBurst, this.#tokens + ((now - this.#tokensAt) * requestRate) / 1000);
    this.#tokensAt = now;
    const allowed = Math.min(this.#outbox.length, Math.floor(this.#tokens));
    const lines = this.#outbox.splice(0, allowed);
    this.#tokens -= allowed;
    for (const frame of packFrames(lines, this.#options.maxRequestsPerFrame, this.#options.maxFrameBytes)) {
      socket.send(frame);
    }
    if (this.#outbox.length > 0) {
      this.#flushScheduled = true;
      this.#flushTimer = setTimeout(() => this.#flush(), Math.max(5, Math.ceil((1000 * (1 - this.#tokens)) / requestRate)));
    }
  }

  #receive(data) {
    this.#resetHeartbeat();
    if (typeof data !== 'string') {
      this.emit('error', new GatewayError('bad_frame', 'a binary frame: the gateway sends text'));
      return;
    }
    let messages;
    try {
      messages = splitFrame(data);
    } catch (error) {
      this.emit('error', new GatewayError('bad_frame', `a frame that does not parse: ${error.message}`));
      return;
    }
    for (const message of messages) {
      this.#dispatch(message);
    }
  }

  #dispatch(message) {
    switch (message.type) {
      case 'event':
      case 'joined':
      case 'left':
        this.#rooms.get(message.room)?.receive(message);
        return;
      case 'ack':
        this.#acknowledged(message);
        return;
      case 'pong':
      case 'refreshed':
        this.#answered(message);
        if (message.type === 'refreshed') {
          this.emit('refreshed', { exp: message.exp });
        }
        return;
      case 'expiring':
        this.#refresh(message.exp);
        return;
      case 'error':
        this.#failed(message);
        return;
      default:
        // Types added by later versions of the contract are ignored.
        return;
    }
  }

  #acknowledged(message) {
    const pending = this.#publishes.get(message.ref);
    if (pending) {
      this.#publishes.delete(message.ref);
      clearTimeout(pending.timer);
      pending.resolve({ room: message.room, seq: message.seq, duplicate: message.duplicate === true });
      this.#sendPublishes();
      return;
    }
    this.#answered(message);
  }

  #answered(message) {
    const request = this.#requests.get(message.ref);
    if (request) {
      this.#requests.delete(message.ref);
      request.resolve(message);
    }
  }

  #failed(message) {
    const error = new GatewayError(message.code, message.message);
    const pending = this.#publishes.get(message.ref);
    if (pending && message.code === 'rate_limited') {
      // Flow control, not a verdict: try again in a moment, until the publish times out.
      pending.sent = false;
      setTimeout(() => this.#sendPublishes(), 1000);
      return;
    }
    if (pending) {
      this.#publishes.delete(message.ref);
      this.#sendPublishes();
      clearTimeout(pending.timer);
      pending.reject(error);
      return;
    }
    const request = this.#requests.get(message.ref);
    if (request) {
      this.#requests.delete(message.ref);
      request.reject(error);
      return;
    }
    for (const room of this.#rooms.values()) {
      if (room.failed(message.ref, error)) {
        return;
      }
    }
    this.emit('error', error);
  }

  async #refresh(exp) {
    this.emit('expiring', { exp });
    try {
      const token = await this.#currentToken(true);
      await this.#request({ type: 'refresh', token });
    } catch (error) {
      // The connection keeps its old token; the gateway closes it with 1008 when that expires.
      this.emit('error', error instanceof GatewayError ? error : new GatewayError('token', String(error?.message ?? error)));
    }
  }

  #failRequests(code, reason) {
    const error = new GatewayError('disconnected', `connection closed (${code} ${reason})`);
    for (const request of this.#requests.values()) {
      request.reject(error);
    }
    this.#requests.clear();
  }

  #resetHeartbeat() {
    this.#stopHeartbeat();
    this.#awaitingPong = false;
    this.#heartbeatTimer = setTimeout(() => this.#checkAlive(), this.#options.pingInterval);
  }

  #checkAlive() {
    if (!this.#socket || this.#awaitingPong) {
      return;
    }
    this.#stopHeartbeat();
    this.#awaitingPong = true;
    this.#send({ type: 'ping' });
    this.#heartbeatTimer = setTimeout(() => this.#heartbeatLost(), this.#options.pingGrace);
  }

  #heartbeatLost() {
    const socket = this.#socket;
    if (!socket) {
      return;
    }
    this.#dropSocket();
    try {
      socket.close(HEARTBEAT_TIMEOUT_CODE, 'heartbeat timeout');
    } catch {
      // Closing a socket that is already gone is fine.
    }
    this.#closed(HEARTBEAT_TIMEOUT_CODE, 'heartbeat timeout');
  }

  #stopHeartbeat() {
    if (this.#heartbeatTimer) {
      clearTimeout(this.#heartbeatTimer);
      this.#heartbeatTimer = null;
    }
  }

  #listenToThePage() {
    const page = globalThis.window;
    if (!page?.addEventListener || this.#windowListeners.length > 0) {
      return;
    }
    const online = () => this.#reconnectNow();
    const visible = () => {
      if (globalThis.document?.visibilityState === 'visible') {
        this.#reconnectNow();
      }
    };
    page.addEventListener('online', online);
    globalThis.document?.addEventListener('visibilitychange', visible);
    this.#windowListeners.push(() => page.removeEventListener('online', online));
    this.#windowListeners.push(() => globalThis.document?.removeEventListener('visibilitychange', visible));
  }

  #unlistenToThePage() {
    this.#windowListeners.forEach((remove) => remove());
    this.#windowListeners = [];
  }
}

/**
 * A room joined through a client. States: unsubscribed → subscribing → subscribed; each change is
 * a `state` event `{state, previous, code, reason}`. Durable events arrive once each, in `seq`
 * order, across reconnects; `recovered:false` calls `onReload`, which reloads the application's
 * state (over HTTP) and returns the position `{seq, epoch}` that state reflects.
 */
export class Room extends Emitter {
  #client;
  #name;
  #wire;
  #state = 'unsubscribed';
  #wanted = false;
  #seq;
  #epoch;
  #joinRef;
  #onReload;
  #reloading = false;
  #reloadAttempts = 0;
  #joinFailures = 0;

  constructor(client, name, options, wire) {
    super();
    this.#client = client;
    this.#name = name;
    this.#wire = wire;
    this.#seq = options.since;
    this.#epoch = options.epoch;
    this.#onReload = options.onReload;
  }

  get name() {
    return this.#name;
  }

  get state() {
    return this.#state;
  }

  /** The position this room has delivered up to: `{seq, epoch}` (undefined before the first join). */
  get position() {
    return { seq: this.#seq, epoch: this.#epoch };
  }

  setReload(onReload) {
    this.#onReload = onReload;
  }

  /** Joins (now, or as soon as the client is connected) and rejoins after every reconnect. */
  subscribe() {
    this.#wanted = true;
    if (this.#state === 'unsubscribed' && this.#wire.connected()) {
      this.#join();
    }
    return this;
  }

  /** Leaves the room; its position is kept, so a later `subscribe` resumes without a gap. */
  unsubscribe() {
    this.#wanted = false;
    if (this.#state !== 'unsubscribed' && this.#wire.connected()) {
      this.#wire.send({ type: 'leave', room: this.#name, ref: this.#wire.nextRef() });
    }
    this.#joinRef = undefined;
    this.#setState('unsubscribed', 0, 'unsubscribe');
  }

  /** Unsubscribes and forgets the room in its client. */
  remove() {
    this.unsubscribe();
    this.#wire.forget();
  }

  publish(event, data, options = {}) {
    return this.#client.publish(this.#name, event, data, options);
  }

  resubscribe() {
    if (this.#wanted) {
      this.#join();
    }
  }

  connectionLost(code, reason) {
    this.#joinRef = undefined;
    this.#reloading = false;
    if (this.#state !== 'unsubscribed') {
      this.#setState(this.#wanted ? 'subscribing' : 'unsubscribed', code, reason);
    }
  }

  #join() {
    this.#joinRef = this.#wire.nextRef();
    const message = { type: 'join', room: this.#name, ref: this.#joinRef };
    if (this.#seq !== undefined) {
      message.since = this.#seq;
      if (this.#epoch !== undefined) {
        message.epoch = this.#epoch;
      }
    }
    this.#setState('subscribing', 0, this.#seq !== undefined ? 'resuming' : 'joining');
    this.#wire.send(message);
  }

  receive(message) {
    switch (message.type) {
      case 'event':
        this.#event(message);
        return;
      case 'joined':
        if (message.ref === this.#joinRef) {
          this.#joined(message);
        }
        return;
      case 'left':
        if (message.reason) {
          // The gateway removed us (a refreshed token no longer allows the room): do not rejoin.
          this.#wanted = false;
          this.#joinRef = undefined;
          this.#setState('unsubscribed', 0, message.reason);
        }
        return;
      default:
    }
  }

  #event(message) {
    if (this.#state === 'unsubscribed' || this.#reloading) {
      // Not ours any more, or superseded by the state being reloaded.
      return;
    }
    if (message.seq === undefined) {
      this.emit('event', message);
      return;
    }
    if (this.#seq !== undefined && message.seq <= this.#seq) {
      return;
    }
    if (this.#seq !== undefined && message.seq > this.#seq + 1 && this.#state === 'subscribed') {
      // The contract promises no gap; should one appear anyway, ask for what is missing.
      this.#rejoin('gap');
      return;
    }
    this.#seq = message.seq;
    this.emit('event', message);
  }

  #joined(message) {
    const resumed = this.#seq !== undefined;
    this.#epoch = message.epoch;
    if (message.recovered === false) {
      this.#reload(message);
      return;
    }
    if (!resumed || this.#seq < message.seq) {
      this.#seq = message.seq;
    }
    this.#reloadAttempts = 0;
    this.#joinFailures = 0;
    this.#setState('subscribed', 0, resumed ? 'resumed' : 'joined');
  }

  async #reload(joined) {
    if (!this.#onReload) {
      // Nothing can rebuild the application's state: continue from the room's head.
      this.#seq = joined.seq;
      this.emit('unrecoverable', { seq: joined.seq, epoch: joined.epoch });
      this.#setState('subscribed', 0, 'not recovered');
      return;
    }
    if (++this.#reloadAttempts > MAX_RELOAD_ATTEMPTS) {
      this.emit('error', new GatewayError('not_recovered', `${this.#name} could not be recovered after reloading`));
      this.#seq = joined.seq;
      this.#setState('subscribed', 0, 'not recovered');
      return;
    }
    this.#reloading = true;
    const joinRef = this.#joinRef;
    let position;
    try {
      position = await this.#onReload({ room: this.#name, seq: joined.seq, epoch: joined.epoch });
    } catch (error) {
      this.#reloading = false;
      this.emit('error', new GatewayError('reload', `reloading ${this.#name} failed: ${error?.message ?? error}`));
      if (joinRef === this.#joinRef) {
        this.#rejoin('reload failed');
      }
      return;
    }
    this.#reloading = false;
    if (joinRef !== this.#joinRef) {
      // The connection dropped while reloading; the next join carries the position reloaded.
      this.#seq = position?.seq ?? this.#seq;
      this.#epoch = position?.epoch ?? this.#epoch;
      return;
    }
    if (!position || typeof position.seq !== 'number') {
      this.emit('error', new GatewayError('reload', 'onReload must return {seq, epoch} (X-Room-Seq, X-Room-Epoch)'));
      this.#seq = joined.seq;
      this.#setState('subscribed', 0, 'not recovered');
      return;
    }
    // Events that arrived while reloading were dropped: rejoining from the reloaded position
    // replays them, so the seam has neither a gap nor a duplicate.
    this.#seq = position.seq;
    this.#epoch = position.epoch ?? joined.epoch;
    this.emit('reloaded', { seq: this.#seq, epoch: this.#epoch });
    this.#rejoin('reloaded');
  }

  #rejoin(reason) {
    if (!this.#wire.connected()) {
      return;
    }
    this.#wire.send({ type: 'leave', room: this.#name, ref: this.#wire.nextRef() });
    this.#setState('subscribing', 0, reason);
    this.#join();
  }

  failed(ref, error) {
    if (ref === undefined || ref !== this.#joinRef) {
      return false;
    }
    this.#joinRef = undefined;
    this.#wanted = this.#wanted && RETRYABLE_JOIN_ERRORS.has(error.code);
    this.emit('error', error);
    this.#setState('unsubscribed', 0, error.code);
    if (this.#wanted) {
      // A store or broker that is down now may be back in a moment.
      const delay = reconnectDelay(this.#joinFailures++, 1000, 20000);
      setTimeout(() => {
        if (this.#wanted && this.#state === 'unsubscribed' && this.#wire.connected()) {
          this.#join();
        }
      }, delay);
    }
    return true;
  }

  #setState(state, code, reason) {
    if (state === this.#state) {
      return;
    }
    const previous = this.#state;
    this.#state = state;
    this.emit('state', { state, previous, code, reason });
  }
}
