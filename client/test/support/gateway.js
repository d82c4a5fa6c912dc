// The gateway the tests run against, started by the build (ClientLibraryTests) or by hand:
// GATEWAY_HTTP_URL, GATEWAY_JWT_SECRET and, for server-side closes, GATEWAY_CONTROL_URL.
import { createHmac, randomBytes } from 'node:crypto';

import { GatewayClient } from '../../src/gateway-client.js';

export const httpUrl = required('GATEWAY_HTTP_URL');
export const wsUrl = httpUrl.replace(/^http/, 'ws') + '/ws';
const secret = required('GATEWAY_JWT_SECRET');
const controlUrl = process.env.GATEWAY_CONTROL_URL;

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests run against a gateway (see client/README.md)`);
  }
  return value;
}

function base64url(value) {
  return Buffer.from(value).toString('base64url');
}

/** An HS256 token signed with the gateway's secret. */
export function token({ sub = 'alice', rooms = ['*'], subscribe, lifetimeSeconds = 3600 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub, rooms, iat: now, exp: now + lifetimeSeconds };
  if (subscribe) {
    claims.subscribe = subscribe;
  }
  const input = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A team no other test uses; its room is `team-<team>`. */
export function uniqueTeam() {
  return `t${randomBytes(5).toString('hex')}`;
}

export async function http(method, path, { bearer = token(), body, headers = {} } = {}) {
  const response = await fetch(httpUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

/** Publishes a durable event over HTTP; resolves with its seq. */
export async function publishOverHttp(room, event, data) {
  const answer = await http('POST', `/api/rooms/${room}/events`, { body: { event, data } });
  if (answer.status !== 201) {
    throw new Error(`publish answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  }
  return answer.json.seq;
}

/** Every stored event of a room, from its history. */
export async function history(room) {
  const items = [];
  let since = 0;
  for (;;) {
    const page = await http('GET', `/api/rooms/${room}/events?since=${since}&limit=100`);
    items.push(...page.json.items);
    if (page.json.next === null || page.json.next === undefined) {
      return items;
    }
    since = page.json.next;
  }
}

/** Closes every WebSocket connection on the gateway with that close code (its real close path). */
export async function closeEveryConnection(reason = 'RESTART') {
  if (!controlUrl) {
    throw new Error('GATEWAY_CONTROL_URL is not set: server-side closes need the build\'s test gateway');
  }
  const response = await fetch(`${controlUrl}/connections/close?reason=${reason}`, { method: 'POST' });
  if (response.status !== 200) {
    throw new Error(`close answered ${response.status}`);
  }
  return Number(await response.text());
}

export function client(options = {}, url = wsUrl) {
  return new GatewayClient(url, { token: () => token(), ...options });
}

/** Resolves once `predicate()` holds, checking every 20 ms; fails after `timeout` ms. */
export async function until(predicate, what, timeout = 10000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await predicate()) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves with the next value of an emitter's event that satisfies `predicate`. */
export function next(emitter, type, predicate = () => true, timeout = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${type} within ${timeout} ms`));
    }, timeout);
    const off = emitter.on(type, (value) => {
      if (predicate(value)) {
        clearTimeout(timer);
        off();
        resolve(value);
      }
    });
  });
}
