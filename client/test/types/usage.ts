// Compiled with --strict by types.test.js: the declarations describe the client as it is used.
import { GatewayClient, GatewayError, type Ack, type GatewayEvent, type RoomPosition } from '../../src/gateway-client.js';

const client = new GatewayClient('ws://localhost:8080/ws', { token: async () => 'jwt', pingInterval: 1000 }).connect();
client.on('state', ({ state, code, reason, terminal }) => {
  const s: 'disconnected' | 'connecting' | 'connected' = state;
  console.log(s, code.toFixed(0), reason.length, terminal === true);
});
client.on('reconnecting', ({ delay, attempt }) => console.log(delay + attempt));
client.on('error', (error: GatewayError) => console.log(error.code));

const reload = async (): Promise<RoomPosition> => ({ seq: 3, epoch: 'a81f' });
const room = client.room('team-42', { since: 0, epoch: 'a81f', onReload: reload }).subscribe();
room.on('event', (event: GatewayEvent) => console.log(event.seq ?? 'volatile', event.event, event.from));
room.on('state', ({ state }) => {
  const s: 'unsubscribed' | 'subscribing' | 'subscribed' = state;
  console.log(s);
});

async function publish(): Promise<void> {
  const ack: Ack = await room.publish('chat.message', { text: 'hi' }, { id: 'c1-1' });
  const seq: number = ack.seq;
  const written: boolean = await room.publish('typing', {}, { volatile: true });
  const elsewhere: Ack = await client.publish('team-7', 'chat.message', null);
  console.log(seq, written, elsewhere.duplicate, client.stats().pendingPublishes, room.position.seq);
}
void publish();
