import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  LineSnapshotPayload,
  ServerToClientEvents,
  StationCountsUpdatedPayload,
  StationStateChangedPayload,
} from '@floorboard/shared';
import { dropTestSchema, startTestServer, type TestServer } from '../support/test-server.js';
import { stationEvent, TEST_PLANT } from '../support/fixtures.js';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

function connect(server: TestServer, token: string | undefined): LiveClient {
  return io(`${server.httpUrl}/live`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
}

function next<E extends keyof ServerToClientEvents>(
  socket: LiveClient,
  event: E,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 5 s`)), 5000);
    socket.once(
      event as 'line:snapshot',
      ((payload: unknown) => {
        clearTimeout(timer);
        resolve(payload as Parameters<ServerToClientEvents[E]>[0]);
      }) as never,
    );
  });
}

describe('socket.io /live', () => {
  let server: TestServer;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    server = await startTestServer({ plant: TEST_PLANT });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await dropTestSchema(server);
    await server.close();
  });

  it('refuses a handshake without a valid token', async () => {
    for (const token of [undefined, 'forged']) {
      const socket = connect(server, token);
      sockets.push(socket);
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toBe('AUTH_REQUIRED');
    }
  });

  it('sends a snapshot on subscribe, then deltas with consecutive revs', async () => {
    const socket = connect(server, server.adminToken);
    sockets.push(socket);
    const snapshotArrives = next(socket, 'line:snapshot');
    const ack = await socket.emitWithAck('subscribe', { lines: ['line-a'] });
    expect(ack).toEqual({ ok: true, lines: ['line-a'] });
    const snapshot = (await snapshotArrives) as LineSnapshotPayload;
    expect(snapshot.snapshot.stations.map((s) => s.key)).toEqual(['first', 'middle', 'last']);

    const received: { event: string; payload: { rev: number } & Record<string, unknown> }[] = [];
    socket.onAny((event: string, payload: { rev: number }) => received.push({ event, payload }));
    const changed = next(socket, 'station:state-changed');
    const ts = Date.now() - 100;
    await server
      .ingest({ gatewayId: 'gw-test', events: [stationEvent({ station: 'last', state: 'blocked', ts })] })
      .expect(200);
    const delta = (await changed) as StationStateChangedPayload;
    expect(delta).toMatchObject({
      line: 'line-a',
      station: 'last',
      state: 'blocked',
      previous: 'offline',
      since: ts,
      rev: snapshot.rev + 1,
    });

    const counted = next(socket, 'station:counts-updated');
    const metrics = next(socket, 'line:metrics-updated');
    await server
      .ingest({
        gatewayId: 'gw-test',
        events: [stationEvent({ station: 'last', type: 'count', state: undefined, good: 2, scrap: 0 })],
      })
      .expect(200);
    expect((await counted) as StationCountsUpdatedPayload).toMatchObject({ station: 'last', good: 2, scrap: 0 });
    expect(await metrics).toMatchObject({ line: 'line-a', metrics: { throughput: { good: 2, targetPerHour: 120 } } });
    // Every payload after the snapshot carries the next rev, whatever its event.
    expect(received.map((r) => r.payload.rev)).toEqual(received.map((_, i) => snapshot.rev + 1 + i));
  });

  it('coalesces a station flapping 50 times a second into a few deltas, ending in its latest state', async () => {
    const socket = connect(server, server.adminToken);
    sockets.push(socket);
    const snapshotArrives = next(socket, 'line:snapshot');
    await socket.emitWithAck('subscribe', { lines: ['line-a'] });
    const snapshot = (await snapshotArrives) as LineSnapshotPayload;
    const received: { event: string; payload: StationStateChangedPayload }[] = [];
    socket.onAny((event: string, payload: StationStateChangedPayload) => received.push({ event, payload }));

    // 50 state changes within a second: ten batches of five, one every 100 ms.
    const start = Date.now() - 5000;
    const began = Date.now();
    for (let b = 0; b < 10; b++) {
      const events = Array.from({ length: 5 }, (_, k) => {
        const i = b * 5 + k;
        return stationEvent({ station: 'first', state: i % 2 === 0 ? 'down' : 'running', ts: start + i * 20 });
      });
      await server.ingest({ gatewayId: 'gw-test', events }).expect(200);
      await new Promise((r) => setTimeout(r, Math.max(0, began + (b + 1) * 100 - Date.now())));
    }
    const seconds = (Date.now() - began) / 1000;
    await new Promise((r) => setTimeout(r, 600));
    const states = received.filter((r) => r.event === 'station:state-changed');
    expect(states.length).toBeGreaterThan(0);
    expect(states.length).toBeLessThanOrEqual(Math.ceil((seconds + 0.6) * 4) + 1);
    expect(states[states.length - 1]!.payload).toMatchObject({
      station: 'first',
      state: 'running',
      since: start + 49 * 20,
    });
    expect(received.map((r) => r.payload.rev)).toEqual(received.map((_, i) => snapshot.rev + 1 + i));
  });

  it('does not send deltas of lines the client did not subscribe to', async () => {
    const socket = connect(server, server.adminToken);
    sockets.push(socket);
    const received: unknown[] = [];
    socket.on('station:state-changed', (p) => received.push(p));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await server
      .ingest({ gatewayId: 'gw-test', events: [stationEvent({ station: 'first', state: 'down' })] })
      .expect(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toEqual([]);
  });

  it.each([
    [{ lines: 'line-a' }, 'SUBSCRIBE_INVALID'],
    [{ lines: [] }, 'SUBSCRIBE_INVALID'],
    [{ lines: ['<script>alert(1)</script>'] }, 'SUBSCRIBE_INVALID'],
    [{ lines: ['line-a'], admin: true }, 'SUBSCRIBE_INVALID'],
    [{ lines: ['no-such-line'] }, 'LINE_NOT_FOUND'],
  ])('answers a bad subscribe %j with %s and stays connected', async (body, code) => {
    const socket = connect(server, server.adminToken);
    sockets.push(socket);
    const ack = await socket.emitWithAck('subscribe', body as never);
    expect(ack).toMatchObject({ ok: false, code });
    expect(socket.connected).toBe(true);
  });
});
