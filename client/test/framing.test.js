import assert from 'node:assert/strict';
import { test } from 'node:test';

import { packFrames, reconnectDelay, splitFrame } from '../src/gateway-client.js';

test('a frame of several newline-delimited messages splits into each, blank lines skipped', () => {
  const frame = '{"type":"event","seq":1}\n{"type":"event","seq":2}\n\n{"type":"ack","ref":"c1"}\n';
  assert.deepEqual(splitFrame(frame).map((m) => m.seq ?? m.ref), [1, 2, 'c1']);
  assert.deepEqual(splitFrame('{"type":"pong"}'), [{ type: 'pong' }]);
  assert.deepEqual(splitFrame(''), []);
});

test('a message whose text holds an escaped newline stays whole', () => {
  const [message] = splitFrame(JSON.stringify({ type: 'event', data: { text: 'two\nlines' } }));
  assert.equal(message.data.text, 'two\nlines');
});

test('a frame that does not parse throws', () => {
  assert.throws(() => splitFrame('{"type":"event"}\n{not json'));
});

test('outgoing messages are packed into frames within the count and size limits, order kept', () => {
  const lines = Array.from({ length: 250 }, (_, i) => JSON.stringify({ type: 'ping', ref: `c${i}` }));
  const byCount = packFrames(lines, 100, 1 << 20);
  assert.deepEqual(byCount.map((f) => f.split('\n').length), [100, 100, 50]);
  assert.deepEqual(byCount.flatMap((f) => f.split('\n')), lines);

  const big = 'é'.repeat(1000); // 2,000 UTF-8 bytes
  const heavy = Array.from({ length: 10 }, () => JSON.stringify({ data: big }));
  const bySize = packFrames(heavy, 100, 5000);
  assert.ok(bySize.every((f) => Buffer.byteLength(f) <= 5000), 'every frame within 5,000 bytes');
  assert.deepEqual(bySize.flatMap((f) => f.split('\n')), heavy);
});

test('one message larger than the size limit still leaves, alone in its frame', () => {
  const frames = packFrames(['x'.repeat(100), '{}'], 100, 50);
  assert.deepEqual(frames, ['x'.repeat(100), '{}']);
});

test('reconnect delays are full jitter under a ceiling that doubles from 0.5 s to 20 s', () => {
  const ceilings = [500, 1000, 2000, 4000, 8000, 16000, 20000, 20000];
  ceilings.forEach((ceiling, attempt) => {
    assert.equal(reconnectDelay(attempt, 500, 20000, () => 0), 0);
    const highest = reconnectDelay(attempt, 500, 20000, () => 0.999999);
    assert.ok(highest < ceiling && highest >= ceiling - 1, `attempt ${attempt}: ${highest} just under ${ceiling}`);
  });
  assert.ok(reconnectDelay(1000, 500, 20000, () => 0.999999) < 20000, 'no overflow after many attempts');
  const spread = new Set(Array.from({ length: 200 }, () => reconnectDelay(3, 500, 20000)));
  assert.ok(spread.size > 100, 'random delays spread clients out');
});
