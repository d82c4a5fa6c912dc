// A TCP proxy in front of the gateway that can cut, freeze or refuse connections: a network that
// fails the way real ones do, between a client and a real gateway.
import net from 'node:net';

export class FaultyNetwork {
  #server;
  #target;
  #pairs = new Set();
  #refusing = false;
  #frozen = false;

  constructor(targetPort) {
    this.#target = targetPort;
    this.#server = net.createServer((client) => this.#accept(client));
  }

  static async start(targetUrl) {
    const network = new FaultyNetwork(Number(new URL(targetUrl).port));
    await new Promise((resolve) => network.#server.listen(0, '127.0.0.1', resolve));
    return network;
  }

  get port() {
    return this.#server.address().port;
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get httpUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  get connections() {
    return this.#pairs.size;
  }

  #accept(client) {
    if (this.#refusing) {
      client.destroy();
      return;
    }
    const server = net.connect(this.#target, '127.0.0.1');
    const pair = { client, server, stalled: { toServer: [], toClient: [] } };
    this.#pairs.add(pair);
    client.on('data', (chunk) => this.#forward(pair, 'toServer', server, chunk));
    server.on('data', (chunk) => this.#forward(pair, 'toClient', client, chunk));
    const end = () => {
      this.#pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('close', end).on('error', end);
    server.on('close', end).on('error', end);
  }

  #forward(pair, direction, to, chunk) {
    if (this.#frozen === true || this.#frozen === direction) {
      pair.stalled[direction].push(chunk);
    } else {
      to.write(chunk);
    }
  }

  /** Drops every open connection at once, as a lost network does (the client sees 1006). */
  cut() {
    for (const pair of this.#pairs) {
      pair.client.destroy();
      pair.server.destroy();
    }
    this.#pairs.clear();
  }

  /** Holds the bytes of open connections (all, or one direction: 'toClient' | 'toServer') without closing them. */
  freeze(direction = true) {
    this.#frozen = direction;
  }

  /** Lets held bytes through again. */
  thaw() {
    this.#frozen = false;
    for (const pair of this.#pairs) {
      for (const chunk of pair.stalled.toServer.splice(0)) pair.server.write(chunk);
      for (const chunk of pair.stalled.toClient.splice(0)) pair.client.write(chunk);
    }
  }

  /** While on, new connections are closed as soon as they arrive. */
  refuse(on = true) {
    this.#refusing = on;
  }

  async close() {
    this.cut();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
