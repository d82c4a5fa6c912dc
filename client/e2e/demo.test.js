// The demo page in headless Chromium against a real gateway: two pages of one team, a page that
// goes offline, a page whose socket the server closes. Screenshots land in SCREENSHOT_DIR.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { FaultyNetwork } from '../test/support/proxy.js';
import { closeEveryConnection, http, token, uniqueTeam } from '../test/support/gateway.js';

const screenshots = process.env.SCREENSHOT_DIR ?? 'target/screenshots';
mkdirSync(screenshots, { recursive: true });

let browser;
const networks = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // Without these, Chromium reaches for Google's services at every start on a closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await Promise.all(networks.map((network) => network.close()));
});

/** A page of the demo in its own browser context, reaching the gateway through its own network. */
async function openDemo(team, user) {
  const network = await FaultyNetwork.start(process.env.GATEWAY_HTTP_URL);
  networks.push(network);
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  const jwt = token({ sub: user, rooms: ['team-*'] });
  await page.goto(`${network.httpUrl}/demo/?team=${team}&token=${jwt}`);
  await page.waitForSelector('#connection[data-state="connected"]');
  await page.waitForFunction(() => document.querySelector('#room-state').textContent === 'subscribed');
  // Set once: still there at the end only if the page never reloaded.
  await page.evaluate(() => { window.loadedOnce = true; });
  return { page, context, network, problems };
}

async function createTask(team, title, user = 'carol') {
  const answer = await http('POST', `/api/teams/${team}/tasks`, {
    bearer: token({ sub: user, rooms: ['team-*'] }),
    body: { title, priority: 'medium' },
  });
  assert.equal(answer.status, 201);
  return answer.json;
}

function shownTitles(page) {
  return page.$$eval('article.task .title', (titles) => titles.map((t) => t.textContent).sort());
}

test('a task created over HTTP appears on both pages of the team, chat and typing reach the other page', async () => {
  const team = uniqueTeam();
  const alice = await openDemo(team, 'alice');
  const bob = await openDemo(team, 'bob');
  const task = await createTask(team, 'Write the release notes');
  const review = await createTask(team, 'Review the Grafana dashboard');
  await createTask(team, 'Plan the soak run');
  await http('PATCH', `/api/tasks/${review.id}`, {
    body: { status: 'review', priority: 'high', assignee: 'bob' },
    headers: { 'content-type': 'application/merge-patch+json' },
  });
  for (const { page } of [alice, bob]) {
    await page.waitForSelector(`article.task[data-task-id="${review.id}"][data-status="review"]`);
    await page.waitForSelector(`article.task[data-task-id="${task.id}"][data-status="pending"]`);
  }
  // A status change made on one page shows on the other.
  await alice.page.click(`article.task[data-task-id="${task.id}"] button`);
  await bob.page.waitForSelector(`article.task[data-task-id="${task.id}"][data-status="in-progress"]`);

  await bob.page.fill('#say input', 'on it');
  await alice.page.waitForFunction(() => document.querySelector('#typing').textContent.includes('bob is typing'));
  await bob.page.click('#say button');
  await alice.page.waitForFunction(() => [...document.querySelectorAll('#messages li')].some((li) => li.textContent === 'bobon it'));
  await alice.page.waitForFunction(() => [...document.querySelectorAll('#members li')].map((li) => li.textContent).includes('bob'));

  await alice.page.screenshot({ path: join(screenshots, 'demo-board.png') });
  assert.deepEqual([...alice.problems, ...bob.problems], []);
});

test('a page that goes offline while tasks are created shows them once back online, without a reload', async () => {
  const team = uniqueTeam();
  await createTask(team, 'Before');
  const demo = await openDemo(team, 'alice');
  await demo.page.waitForSelector('article.task');

  await demo.context.setOffline(true);
  demo.network.refuse();
  demo.network.cut();
  await demo.page.waitForSelector('#connection[data-state="disconnected"]');
  const created = [];
  for (let n = 1; n <= 3; n++) {
    created.push(await createTask(team, `While offline ${n}`));
  }
  assert.deepEqual(await shownTitles(demo.page), ['Before']);
  await demo.page.screenshot({ path: join(screenshots, 'demo-offline.png') });

  demo.network.refuse(false);
  await demo.context.setOffline(false);
  // Back online reconnects at once (the `online` event), not after the backoff's ceiling.
  await demo.page.waitForSelector('#connection[data-state="connected"]', { timeout: 5000 });
  await demo.page.waitForFunction((count) => document.querySelectorAll('article.task').length === count, 4);
  assert.deepEqual(await shownTitles(demo.page), ['Before', 'While offline 1', 'While offline 2', 'While offline 3']);
  assert.equal(await demo.page.evaluate(() => window.loadedOnce), true, 'the page was not reloaded');
  assert.deepEqual(demo.problems, []);
});

test('a page whose socket the server closes recovers every event it missed, each once, in order', async () => {
  const team = uniqueTeam();
  const demo = await openDemo(team, 'alice');
  await demo.page.evaluate(() => {
    window.seen = [];
    window.demo.room.on('event', (event) => { if (event.seq !== undefined) window.seen.push(event.seq); });
  });
  await createTask(team, 'First');
  await demo.page.waitForSelector('article.task');

  // Held back from reconnecting until the events it will miss exist.
  demo.network.refuse();
  await closeEveryConnection('RESTART');
  await demo.page.waitForSelector('#connection[data-state="disconnected"]');
  const missed = [];
  for (let n = 1; n <= 4; n++) {
    missed.push(await createTask(team, `Missed ${n}`));
  }
  const patched = await http('PATCH', `/api/tasks/${missed[0].id}`, {
    body: { status: 'done' },
    headers: { 'content-type': 'application/merge-patch+json' },
  });
  assert.equal(patched.status, 200);
  demo.network.refuse(false);

  await demo.page.waitForSelector('#connection[data-state="connected"]', { timeout: 30000 });
  await demo.page.waitForSelector(`article.task[data-task-id="${missed[0].id}"][data-status="done"]`);
  await demo.page.waitForFunction(() => document.querySelectorAll('article.task').length === 5);
  const seen = await demo.page.evaluate(() => window.seen);
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6], 'task.created ×5 and task.updated, each once, in seq order');
  assert.equal(await demo.page.evaluate(() => window.loadedOnce), true, 'the page was not reloaded');
  await demo.page.screenshot({ path: join(screenshots, 'demo-recovered.png') });
  assert.deepEqual(demo.problems, []);
});
