#!/usr/bin/env node
// A connection storm from outside the JVM: opens WebSocket connections at a fixed rate over plain
// TCP sockets (no dependencies), each authenticating with its own HS256 token and joining one room,
// then holds them idle, answering pings. Reports connect latency (scheduled start -> `joined`),
// failures by cause, and, with --server-pid, the server's CPU per connect and per idle
// connection-second and its RSS per connection, read from /proc. Loopback targets only; every run
// is bounded by its connection count, its rate and --hold, and stops by itself.
//
//   node loadtest/storm/connect-storm.mjs --url ws://127.0.0.1:8080/ws --connections 10000 --rate 1000 \
//     --hold 30s --source-addresses 127.0.0.2-127.0.0.5 --server-pid "$GATEWAY_PID"
//
// The secret comes from GATEWAY_AUTH_JWT_SECRET (or --secret).

import net from 'node:net';
import crypto from 'node:crypto';
import fs from 'node:fs';

const options = parse(process.argv.slice(2));
const url = new URL(options.url ?? 'ws://127.0.0.1:8080/ws');
const connections = int(options.connections ?? '1000');
const rate = int(options.rate ?? '1000');
const rooms = int(options.rooms ?? '10');
const holdMs = duration(options.hold ?? '10s');
const baselineMs = duration(options.baseline ?? '0s');
const timeoutMs = duration(options.timeout ?? '15s');
const serverPid = options['server-pid'] ? int(options['server-pid']) : null;
const secret = options.secret ?? process.env.GATEWAY_AUTH_JWT_SECRET;
const sources = addresses(options['source-addresses']);

if (!['127.', 'localhost', '[::1]'].some((prefix) => url.hostname.startsWith(prefix) || url.hostname === prefix)) {
  fail('only loopback targets are allowed, got ' + url.hostname);
}
if (!secret || Buffer.byteLength(secret) < 32) {
  fail('a secret of at least 32 bytes is needed: GATEWAY_AUTH_JWT_SECRET or --secret');
}

const latencies = [];
const failures = new Map();
let open = 0;
let joined = 0;
let failed = 0;
let closedByServer = 0;
let ending = false;
const sockets = [];

const ticks = process.platform === 'linux' ? 100 : 0; // USER_HZ
const rssBefore = serverRss();
if (baselineMs > 0) {
  progress('baseline');
}
const baselineCpu = await measure(baselineMs);
const cpuBefore = serverCpu();
const ownCpuBefore = process.cpuUsage();
const started = performance.now();
let lastJoined = 0;
let lastCpu = cpuBefore;
const reporter = setInterval(() => {
  const cpu = serverCpu();
  process.stderr.write(`${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s  joined ${String(joined).padStart(6)}`
    + `  +${String(joined - lastJoined).padStart(5)}/s  open ${String(open).padStart(6)}  failed ${failed}`
    + (serverPid ? `  server cpu ${((cpu - lastCpu) * 100).toFixed(0)}%` : '') + '\n');
  lastJoined = joined;
  lastCpu = cpu;
}, 1000);
await new Promise((resolve) => {
  let next = 0;
  const tick = setInterval(() => {
    const due = Math.min(connections, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; next < due; next++) {
      connect(next, started + (next * 1000) / rate);
    }
    if (next >= connections) {
      clearInterval(tick);
      const wait = setInterval(() => {
        if (joined + failed >= connections || performance.now() - started > (connections * 1000) / rate + timeoutMs) {
          clearInterval(wait);
          resolve();
        }
      }, 10);
    }
  }, 1);
});
const connectSeconds = (performance.now() - started) / 1000;
const connectCpu = serverCpu() - cpuBefore;
const ownCpu = process.cpuUsage(ownCpuBefore);
// Let the last joins and the collections they caused settle before the idle measurement.
const settleMs = Math.min(3000, holdMs / 4);
await sleep(settleMs);
const idle = await measure(holdMs - settleMs);
clearInterval(reporter);
const rssAfter = serverRss();
const held = open;
ending = true;
for (const socket of sockets) {
  socket.destroy();
}

latencies.sort((a, b) => a - b);
const quantile = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : NaN);
const rows = [
  ['target', url.href],
  ['connections / rate / rooms', `${connections} / ${rate}/s / ${rooms}`],
  ['source addresses', String(sources.length || 1)],
  ['joined', String(joined)],
  ['failed', String(failed) + (failures.size ? '  (' + [...failures].map(([cause, n]) => `${cause}: ${n}`).join(', ') + ')' : '')],
  ['closed by the server during the run', String(closedByServer)],
  ['held after the hold', String(held)],
  ['achieved connects/s', (joined / connectSeconds).toFixed(0)],
  ['connect latency p50 / p90 / p99 / p99.9 / max (ms)',
    [0.5, 0.9, 0.99, 0.999, 1].map((q) => quantile(q).toFixed(2)).join(' / ')],
];
rows.push(['generator CPU per connect (µs)', ((ownCpu.user + ownCpu.system) / Math.max(1, joined)).toFixed(1)]);
if (serverPid) {
  rows.push(['server CPU per connect (µs)', ((connectCpu / Math.max(1, joined)) * 1e6).toFixed(1)]);
  rows.push(['server CPU per idle connection-second (µs)', ((idle.cpuPerSecond / Math.max(1, held)) * 1e6).toFixed(2)]);
  if (baselineMs > 0) {
    rows.push(['  less its own idle CPU (' + (baselineCpu.cpuPerSecond * 1000).toFixed(2) + ' ms/s)',
      ((Math.max(0, idle.cpuPerSecond - baselineCpu.cpuPerSecond) / Math.max(1, held)) * 1e6).toFixed(2)]);
  }
  rows.push(['server RSS before → after (MiB)', `${(rssBefore / 1024).toFixed(1)} → ${(rssAfter / 1024).toFixed(1)}`]);
  rows.push(['server RSS per held connection (KiB)', ((rssAfter - rssBefore) / Math.max(1, held)).toFixed(2)]);
}
for (const [label, value] of rows) {
  console.log(label.padEnd(52) + value);
}
process.exit(failed > 0 ? 1 : 0);

function connect(index, intendedAt) {
  const options = { host: url.hostname.replace(/^\[|\]$/g, ''), port: int(url.port || '80') };
  if (sources.length) {
    options.localAddress = sources[index % sources.length];
  }
  const socket = net.connect(options);
  socket.setNoDelay(true);
  sockets.push(socket);
  const room = 'bench-' + (index % rooms);
  const key = crypto.randomBytes(16).toString('base64');
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  let done = false;
  const timer = setTimeout(() => finish('timeout'), timeoutMs);
  const finish = (cause) => {
    if (done) {
      return;
    }
    done = true;
    clearTimeout(timer);
    if (cause) {
      failed++;
      failures.set(cause, (failures.get(cause) ?? 0) + 1);
      socket.destroy();
    }
    else {
      joined++;
      latencies.push(performance.now() - intendedAt);
    }
  };
  socket.on('connect', () => {
    socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${token('u' + index)}\r\n\r\n`);
  });
  socket.on('data', (chunk) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    if (!upgraded) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        return;
      }
      const status = buffer.subarray(0, buffer.indexOf('\r\n')).toString().split(' ')[1];
      if (status !== '101') {
        finish('HTTP ' + status);
        return;
      }
      upgraded = true;
      open++;
      buffer = buffer.subarray(end + 4);
      send(socket, 1, Buffer.from(`{"type":"join","room":"${room}","ref":"j"}`));
    }
    buffer = frames(buffer, socket, (opcode, payload) => {
      if (opcode === 1 && !done) {
        const text = payload.toString();
        if (text.includes('"type":"joined"')) {
          finish(null);
        }
        else if (text.includes('"type":"error"') && text.includes('"ref":"j"')) {
          finish('error ' + (/"code":"([a-z_]+)"/.exec(text)?.[1] ?? ''));
        }
      }
    });
  });
  socket.on('error', (error) => finish(error.code ?? 'socket error'));
  socket.on('close', () => {
    if (upgraded) {
      open--;
      if (done && !ending) {
        closedByServer++;
      }
    }
    finish('closed before joined');
  });
}

// Splits complete frames off the buffer; answers pings; returns what is left.
function frames(buffer, socket, onMessage) {
  let offset = 0;
  while (buffer.length - offset >= 2) {
    const opcode = buffer[offset] & 0x0f;
    let length = buffer[offset + 1] & 0x7f;
    let header = 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      header = 4;
    }
    else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      header = 10;
    }
    if (buffer.length - offset < header + length) break;
    const payload = buffer.subarray(offset + header, offset + header + length);
    if (opcode === 9) {
      send(socket, 10, payload);
    }
    else if (opcode === 8) {
      socket.end();
    }
    else {
      onMessage(opcode, payload);
    }
    offset += header + length;
  }
  return offset === 0 ? buffer : buffer.subarray(offset);
}

function send(socket, opcode, payload) {
  const mask = crypto.randomBytes(4);
  const header = payload.length < 126 ? Buffer.from([0x80 | opcode, 0x80 | payload.length])
    : Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) {
    masked[i] = payload[i] ^ mask[i % 4];
  }
  socket.write(Buffer.concat([header, mask, masked]));
}

function token(subject) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = encode({ alg: 'HS256', typ: 'JWT' }) + '.'
    + encode({ sub: subject, rooms: ['bench-*'], exp: Math.floor(Date.now() / 1000) + 3600 });
  return body + '.' + crypto.createHmac('sha256', secret).update(body).digest('base64url');
}

async function measure(ms) {
  const before = serverCpu();
  const start = performance.now();
  await sleep(ms);
  const seconds = (performance.now() - start) / 1000;
  return { cpuPerSecond: seconds > 0 ? (serverCpu() - before) / seconds : 0 };
}

function serverCpu() {
  if (!serverPid) {
    return 0;
  }
  const stat = fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

function serverRss() {
  if (!serverPid) {
    return 0;
  }
  const status = fs.readFileSync(`/proc/${serverPid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

function progress(phase) {
  process.stderr.write(phase + '\n');
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function parse(args) {
  const parsed = {};
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].replace(/^--/, '').split('=', 2);
    parsed[name] = inline ?? args[++i];
  }
  return parsed;
}

function int(text) {
  const value = Number.parseInt(text, 10);
  if (!Number.isFinite(value) || value < 0) {
    fail('not a count: ' + text);
  }
  return value;
}

function duration(text) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!match) {
    fail('not a duration (like 500ms, 30s, 2m): ' + text);
  }
  return Number(match[1]) * { ms: 1, s: 1000, m: 60000 }[match[2]];
}

function addresses(text) {
  if (!text) {
    return [];
  }
  const range = /^127\.0\.0\.(\d+)-127\.0\.0\.(\d+)$/.exec(text);
  if (range) {
    const list = [];
    for (let last = int(range[1]); last <= int(range[2]); last++) {
      list.push('127.0.0.' + last);
    }
    return list;
  }
  const list = text.split(',');
  if (!list.every((address) => address.startsWith('127.'))) {
    fail('source addresses must be loopback addresses');
  }
  return list;
}

function fail(message) {
  console.error('connect-storm: ' + message);
  process.exit(2);
}
