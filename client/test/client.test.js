import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { GatewayError, HEARTBEAT_TIMEOUT_CODE } from '../src/gateway-client.js';
import { FaultyNetwork } from './support/proxy.js';
import {
  client, closeEveryConnection, history, http, next, publishOverHttp, token, uniqueTeam, until,
} from './support/gateway.js';

const opened = [];

/** A connected client; closed when the tests end. */
async function connected(options = {}, url) {
  const c = client(options, url);
  opened.push(c);
  const up = next(c, 'state', (s) => s.state === 'connected');
  c.connect();
  await up;
  return c;
}

/** A subscribed room whose events are collected in `events`. */
async function subscribed(c, name, options = {}) {
  const room = c.room(name, options);
  const events = [];
  room.on('event', (event) => events.push(event));
  const ready = next(room, 'state', (s) => s.state === 'subscribed');
  room.subscribe();
  await ready;
  return { room, events };
}

function seqs(events) {
  return events.filter((e) => e.seq !== undefined).map((e) => e.seq);
}

function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

after(() => opened.forEach((c) => c.disconnect()));

test('connection and room state changes are events with a code and a reason', async () => {
  const c = client();
  opened.push(c);
  const changes = [];
  c.on('state', (s) => changes.push(`${s.previous}>${s.state}`));
  const up = next(c, 'state', (s) => s.state === 'connected');
  c.connect();
  await up;
  const room = c.room(`team-${uniqueTeam()}`);
  const roomChanges = [];
  room.on('state', (s) => roomChanges.push(`${s.state}:${s.reason}`));
  const ready = next(room, 'state', (s) => s.state === 'subscribed');
  room.subscribe();
  await ready;
  const down = next(c, 'state', (s) => s.state === 'disconnected');
  c.disconnect();
  const closed = await down;
  assert.deepEqual(changes, ['disconnected>connecting', 'connecting>connected', 'connected>disconnected']);
  assert.deepEqual(roomChanges, ['subscribing:joining', 'subscribed:joined']);
  assert.equal(closed.code, 1000);
});

test('a durable publish resolves with its ack and every member gets each event once, in seq order', async () => {
  const room = `team-${uniqueTeam()}`;
  const reader = await connected();
  const { events } = await subscribed(reader, room);
  const writer = await connected();
  // 250 publishes in one tick leave in frames of at most 100 requests (the gateway's limit).
  const acks = await Promise.all(range(1, 250).map((n) => writer.publish(room, 'chat.message', { n })));
  assert.deepEqual(acks.map((a) => a.seq), range(1, 250));
  assert.ok(acks.every((a) => a.duplicate === false && a.room === room));
  await until(() => events.length === 250, '250 events');
  assert.deepEqual(seqs(events), range(1, 250));
  assert.deepEqual(events.map((e) => e.data.n), range(1, 250));
  assert.equal(events[0].from, 'alice');
});

test('an event delivered twice by the transport reaches the application once', async () => {
  const room = `team-${uniqueTeam()}`;
  // Every frame the gateway sends arrives twice: dedup by seq must hide the copies.
  class DoublingWebSocket extends WebSocket {
    set onmessage(handler) {
      super.onmessage = handler && ((message) => { handler(message); handler(message); });
    }
  }
  const reader = await connected({ WebSocket: DoublingWebSocket });
  const { events } = await subscribed(reader, room);
  for (let n = 1; n <= 20; n++) {
    await publishOverHttp(room, 'chat.message', { n });
  }
  await until(() => seqs(events).length >= 20, '20 events');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(seqs(events), range(1, 20));
});

test('a publish the gateway refuses rejects with its error code, and the connection stays', async () => {
  const mine = `mine-${uniqueTeam()}`;
  const c = await connected({ token: () => token({ rooms: ['mine-*'] }) });
  await assert.rejects(c.publish('team-other', 'chat.message', {}), (error) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'forbidden');
    return true;
  });
  await assert.rejects(c.publish(mine, 'task.created', {}), { code: 'forbidden' });
  assert.equal(c.state, 'connected');
  assert.equal((await c.publish(mine, 'chat.message', { ok: true })).seq, 1);
});

test('after the server closes the connection (1012) the client reconnects and the room resumes without a gap', async () => {
  const room = `team-${uniqueTeam()}`;
  // Through a network that can hold the reconnect back until the missed events exist.
  const network = await FaultyNetwork.start(process.env.GATEWAY_HTTP_URL);
  try {
    const reader = await connected({ minReconnectDelay: 200 }, network.wsUrl);
    const { room: handle, events } = await subscribed(reader, room);
    await publishOverHttp(room, 'chat.message', { n: 1 });
    await until(() => events.length === 1, 'the first event');

    const closed = next(reader, 'state', (s) => s.state === 'disconnected');
    const resubscribing = next(handle, 'state', (s) => s.state === 'subscribing');
    const resumed = next(handle, 'state', (s) => s.state === 'subscribed');
    network.refuse();
    assert.ok(await closeEveryConnection('RESTART') >= 1);
    const close = await closed;
    assert.equal(close.code, 1012);
    assert.equal(close.terminal, false);
    assert.equal((await resubscribing).code, 1012);
    // Published while the client is away: the resumed join replays them before live events.
    for (let n = 2; n <= 6; n++) {
      await publishOverHttp(room, 'chat.message', { n });
    }
    network.refuse(false);
    assert.equal((await resumed).reason, 'resumed');
    await publishOverHttp(room, 'chat.message', { n: 7 });
    await until(() => events.length === 7, 'seven events');
    assert.deepEqual(seqs(events), range(1, 7));
    assert.deepEqual(events.map((e) => e.data.n), range(1, 7));
    assert.equal(handle.position.seq, 7);
  } finally {
    await network.close();
  }
});

test('a policy close (1008) is terminal: no reconnect follows', async () => {
  const c = await connected({ minReconnectDelay: 50, maxReconnectDelay: 100 });
  const closed = next(c, 'state', (s) => s.state === 'disconnected');
  await closeEveryConnection('POLICY');
  const close = await closed;
  assert.equal(close.code, 1008);
  assert.equal(close.terminal, true);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(c.state, 'disconnected');
  assert.equal(c.stats().reconnectAttempt, 0);
});

test('recovered:false calls the reload callback, and the room resumes from the position it returns with no gap or duplicate', async () => {
  const team = uniqueTeam();
  const room = `team-${team}`;
  for (let n = 1; n <= 5; n++) {
    await publishOverHttp(room, 'chat.message', { n });
  }
  // A publisher keeps going while the reader reloads.
  const writer = await connected();
  let publishing = true;
  const published = (async () => {
    let n = 5;
    while (publishing) {
      await writer.publish(room, 'chat.message', { n: ++n });
    }
    return n;
  })();
  const reloads = [];
  const reader = await connected();
  const { room: handle, events } = await subscribed(reader, room, {
    since: 2,
    epoch: 'not-this-room-s-epoch',
    async onReload(request) {
      reloads.push(request);
      // What a page does: read the state over HTTP, then resume from the position the read reflects.
      const tasks = await http('GET', `/api/teams/${team}/tasks`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { seq: Number(tasks.headers.get('x-room-seq')), epoch: tasks.headers.get('x-room-epoch') };
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  publishing = false;
  const last = await published;
  await until(() => seqs(events).at(-1) === last, `events up to ${last}`);

  assert.equal(reloads.length, 1);
  assert.equal(reloads[0].room, room);
  const delivered = seqs(events);
  assert.ok(delivered.length > 0, 'events followed the reload');
  assert.deepEqual(delivered, range(delivered[0], last), 'contiguous from the reloaded position');
  assert.ok(delivered[0] > 5, 'nothing from before the reloaded state');
  assert.equal(handle.state, 'subscribed');
});

test('a durable publish whose ack was lost is re-sent after the reconnect with its id and stored once', async () => {
  const room = `team-${uniqueTeam()}`;
  const network = await FaultyNetwork.start(process.env.GATEWAY_HTTP_URL);
  try {
    const writer = await connected({ minReconnectDelay: 100 }, network.wsUrl);
    // The publish reaches the gateway; its ack does not reach the client.
    network.freeze('toClient');
    const acked = writer.publish(room, 'chat.message', { once: true });
    await until(async () => (await history(room)).length === 1, 'the event stored');
    // Cut before letting bytes through again, so the held ack is lost with the connection.
    network.cut();
    network.thaw();
    const ack = await acked;
    assert.equal(ack.seq, 1);
    assert.equal(ack.duplicate, true, 'answered as the already stored event');
    const stored = await history(room);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].data.once, true);
    assert.equal(writer.stats().pendingPublishes, 0);
  } finally {
    await network.close();
  }
});

test('publishes made while disconnected are sent once connected, in order', async () => {
  const room = `team-${uniqueTeam()}`;
  const c = client();
  opened.push(c);
  const acks = range(1, 5).map((n) => c.publish(room, 'chat.message', { n }));
  assert.equal(c.stats().pendingPublishes, 5);
  c.connect();
  assert.deepEqual((await Promise.all(acks)).map((a) => a.seq), range(1, 5));
  assert.deepEqual((await history(room)).map((e) => e.data.n), range(1, 5));
});

test('the publish buffer is bounded and its entries time out', async () => {
  const c = client({ maxPendingPublishes: 3, publishTimeout: 200 });
  const waiting = range(1, 3).map(() => c.publish('team-x', 'chat.message', {}));
  await assert.rejects(c.publish('team-x', 'chat.message', {}), { code: 'buffer_full' });
  for (const publish of waiting) {
    await assert.rejects(publish, { code: 'timeout' });
  }
  assert.equal(c.stats().pendingPublishes, 0);
  assert.equal(await c.publish('team-x', 'typing', {}, { volatile: true }), false, 'a volatile publish with no connection is dropped');
});

test('a connection that stops answering is noticed by its heartbeat and replaced', async () => {
  const room = `team-${uniqueTeam()}`;
  const network = await FaultyNetwork.start(process.env.GATEWAY_HTTP_URL);
  try {
    const reader = await connected({ pingInterval: 300, pingGrace: 300, minReconnectDelay: 100 }, network.wsUrl);
    const { events } = await subscribed(reader, room);
    const lost = next(reader, 'state', (s) => s.state === 'disconnected');
    network.freeze();
    await publishOverHttp(room, 'chat.message', { n: 1 });
    assert.equal((await lost).code, HEARTBEAT_TIMEOUT_CODE);
    network.thaw();
    await next(reader, 'state', (s) => s.state === 'connected');
    await publishOverHttp(room, 'chat.message', { n: 2 });
    await until(() => events.length === 2, 'both events');
    assert.deepEqual(seqs(events), [1, 2]);
  } finally {
    await network.close();
  }
});

test('reconnect attempts back off while the gateway cannot be reached, and recover when it can', async () => {
  const network = await FaultyNetwork.start(process.env.GATEWAY_HTTP_URL);
  try {
    const c = await connected({ minReconnectDelay: 40, maxReconnectDelay: 400 }, network.wsUrl);
    const delays = [];
    c.on('reconnecting', (r) => delays.push(r));
    network.refuse();
    network.cut();
    await until(() => delays.length >= 6, 'six attempts');
    delays.slice(0, 6).forEach((r, i) => {
      assert.equal(r.attempt, i + 1);
      assert.ok(r.delay <= Math.min(400, 40 * 2 ** i), `attempt ${i + 1}: ${r.delay} ms within its ceiling`);
    });
    network.refuse(false);
    await next(c, 'state', (s) => s.state === 'connected', 5000);
  } finally {
    await network.close();
  }
});

test('the token comes from the callback, one call at a time, and is refreshed in-band on expiring', async () => {
  let calls = 0;
  let concurrent = 0;
  let mostConcurrent = 0;
  const c = client({
    async token() {
      calls++;
      concurrent++;
      mostConcurrent = Math.max(mostConcurrent, concurrent);
      await new Promise((resolve) => setTimeout(resolve, 50));
      concurrent--;
      // Short-lived: the gateway (expiring notice 5 s here) asks for a fresh one within seconds.
      return token({ lifetimeSeconds: 7 });
    },
  });
  opened.push(c);
  const up = next(c, 'state', (s) => s.state === 'connected');
  c.connect();
  await up;
  const expiring = await next(c, 'expiring', () => true, 15000);
  const refreshed = await next(c, 'refreshed', () => true, 5000);
  assert.ok(refreshed.exp > expiring.exp, 'the fresh token lives longer');
  assert.equal(c.state, 'connected');
  assert.equal(mostConcurrent, 1);
  assert.ok(calls >= 2);
});

test('a long session leaves nothing behind in the client', async () => {
  const room = `team-${uniqueTeam()}`;
  const c = await connected();
  const { events } = await subscribed(c, room);
  for (let round = 0; round < 20; round++) {
    await Promise.all(range(1, 100).map((n) => c.publish(room, 'chat.message', { n })));
    await c.ping();
    await c.publish(room, 'typing', {}, { volatile: true });
  }
  await until(() => seqs(events).length === 2000, '2,000 events');
  assert.deepEqual(c.stats(), { pendingPublishes: 0, pendingRequests: 0, queuedMessages: 0, rooms: 1, reconnectAttempt: 0 });
});

test('more publishes than the gateway\'s request rate allows are paced by the client, none refused', async () => {
  const room = `team-${uniqueTeam()}`;
  const errors = [];
  const c = await connected();
  c.on('error', (error) => errors.push(error));
  const closes = [];
  c.on('state', (s) => closes.push(s));
  const acks = await Promise.all(range(1, 1000).map((n) => c.publish(room, 'chat.message', { n })));
  assert.deepEqual(acks.map((a) => a.seq), range(1, 1000));
  assert.deepEqual(errors, []);
  assert.deepEqual(closes, [], 'the connection stayed up');
});
