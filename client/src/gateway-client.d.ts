// Types of gateway-client.js: the client of the event gateway's WebSocket contract, version 1.1.

export type ConnectionState = 'disconnected' | 'connecting' | 'connected';
export type RoomState = 'unsubscribed' | 'subscribing' | 'subscribed';

/** Close code the client uses itself when the gateway stopped answering its pings. */
export declare const HEARTBEAT_TIMEOUT_CODE: 4000;

export interface StateChange<S extends string> {
  state: S;
  previous: S;
  /** WebSocket close code behind the change, 0 when none. */
  code: number;
  reason: string;
  /** True when the client stopped for good (1008 after a refused refresh, 1009): no reconnect follows. */
  terminal?: boolean;
}

export interface GatewayClientOptions {
  /** The token, or a function (possibly async) that returns a fresh one; called once per need, never concurrently. */
  token: string | (() => string | Promise<string>);
  /** A WebSocket constructor where there is no global one (Node.js before 22). */
  WebSocket?: new (url: string, protocols?: string[]) => WebSocket;
  /** First reconnect delay ceiling in ms (full jitter, doubling). Default 500. */
  minReconnectDelay?: number;
  /** Largest reconnect delay ceiling in ms. Default 20000. */
  maxReconnectDelay?: number;
  /** How long a connection must have lasted for the backoff to start over, ms. Default 5000. */
  stableConnectionAfter?: number;
  /** Silence after which the client pings, ms. Default 25000. */
  pingInterval?: number;
  /** How long the client waits for any answer to that ping before reconnecting, ms. Default 10000. */
  pingGrace?: number;
  /** How long the handshake may take before the attempt counts as failed, ms. Default 10000. */
  connectTimeout?: number;
  /** How long a durable publish may wait for its ack, across reconnects, ms. Default 30000. */
  publishTimeout?: number;
  /** Durable publishes awaiting an ack at most; more are refused with `buffer_full`. Default 1000. */
  maxPendingPublishes?: number;
  /** Messages per outgoing frame at most. Default 100 (the gateway's default limit). */
  maxRequestsPerFrame?: number;
  /** Requests per second the client sends at most (the gateway refuses more). Default 400. */
  requestRate?: number;
  /** Requests the client may send at once above that rate. Default 800. */
  requestBurst?: number;
  /** Durable publishes sent and awaiting their ack at most; later ones wait in the buffer. Default 512. */
  maxInFlightPublishes?: number;
  /** Bytes per outgoing frame, about. Default 61440 (under the gateway's 64 KiB default). */
  maxFrameBytes?: number;
  /** A token with less than this left (ms) is asked for again before connecting. Default 30000. */
  tokenRenewBefore?: number;
}

export interface GatewayEvent<T = unknown> {
  type: 'event';
  room: string;
  /** Present on durable events only. */
  seq?: number;
  event: string;
  data: T;
  ts: number;
  /** The publisher's user id, when a user published it. */
  from?: string;
  /** The publisher's event id, when it gave one. */
  id?: string;
}

export interface Ack {
  room: string;
  seq: number;
  /** True when the gateway had already stored this id: `seq` is the first event's. */
  duplicate: boolean;
}

export interface RoomPosition {
  seq: number;
  epoch?: string;
}

export interface ReloadRequest {
  room: string;
  /** The room's newest seq when it was joined. */
  seq: number;
  epoch: string;
}

export interface RoomOptions {
  /** Resume from this seq (e.g. the `X-Room-Seq` of an HTTP read) instead of joining at the head. */
  since?: number;
  epoch?: string;
  /**
   * Called on `recovered:false`: reload the application's state (over HTTP) and return the
   * position it reflects (`X-Room-Seq`, `X-Room-Epoch`); the room resumes from there.
   */
  onReload?: (request: ReloadRequest) => RoomPosition | Promise<RoomPosition>;
}

export interface PublishOptions {
  /** Not stored, no seq, dropped first under pressure; resolves `true` once queued to send, `false` when dropped (offline, or `requestBurst` requests already waiting). */
  volatile?: boolean;
  /** The event id for idempotent publish; one is made up when absent. */
  id?: string;
}

export declare class GatewayError extends Error {
  readonly code: string;
  constructor(code: string, message: string);
}

interface Listeners<M> {
  on<K extends keyof M>(type: K, listener: (value: M[K]) => void): () => void;
}

export interface ClientEvents {
  state: StateChange<ConnectionState>;
  reconnecting: { delay: number; attempt: number; code: number; reason: string };
  expiring: { exp: number };
  refreshed: { exp: number };
  error: GatewayError;
}

export interface RoomEvents {
  state: StateChange<RoomState>;
  event: GatewayEvent;
  reloaded: RoomPosition;
  /** `recovered:false` and no `onReload`: the room continues from its head, events in between are not delivered. */
  unrecoverable: RoomPosition;
  error: GatewayError;
}

export declare class Room implements Listeners<RoomEvents> {
  readonly name: string;
  readonly state: RoomState;
  readonly position: { seq?: number; epoch?: string };
  on<K extends keyof RoomEvents>(type: K, listener: (value: RoomEvents[K]) => void): () => void;
  subscribe(): this;
  unsubscribe(): void;
  remove(): void;
  publish(event: string, data: unknown, options: PublishOptions & { volatile: true }): Promise<boolean>;
  publish(event: string, data: unknown, options?: PublishOptions): Promise<Ack>;
}

export declare class GatewayClient implements Listeners<ClientEvents> {
  constructor(url: string, options: GatewayClientOptions);
  readonly state: ConnectionState;
  on<K extends keyof ClientEvents>(type: K, listener: (value: ClientEvents[K]) => void): () => void;
  connect(): this;
  disconnect(code?: number, reason?: string): void;
  room(name: string, options?: RoomOptions): Room;
  rooms(): Room[];
  publish(room: string, event: string, data: unknown, options: PublishOptions & { volatile: true }): Promise<boolean>;
  publish(room: string, event: string, data: unknown, options?: PublishOptions): Promise<Ack>;
  ping(): Promise<{ type: 'pong' }>;
  stats(): { pendingPublishes: number; pendingRequests: number; queuedMessages: number; rooms: number; reconnectAttempt: number };
}

export declare function reconnectDelay(attempt: number, minDelay: number, maxDelay: number, random?: () => number): number;
export declare function splitFrame(text: string): unknown[];
export declare function packFrames(lines: string[], maxCount: number, maxBytes: number): string[];
