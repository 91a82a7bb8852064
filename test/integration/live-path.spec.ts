import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import {
  floorboardTopic,
  type ClientToServerEvents,
  type LineLive,
  type LineSnapshotPayload,
  type ServerToClientEvents,
  type StationStateChangedPayload,
} from '@floorboard/shared';
import { eventually, getJson, login, startSystem, type RunningSystem } from '../support/system.js';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One station's state goes broker → gateway process → server process → socket.io client and REST. */
describe('live path: MQTT to socket.io', () => {
  let system: RunningSystem;
  let publisher: MqttClient;
  let socket: LiveClient;
  let token: string;

  beforeAll(async () => {
    system = await startSystem();
    token = await login(system.httpUrl, system.adminPassword);
    publisher = await mqtt.connectAsync(system.mqttUrl, { protocolVersion: 4, clientId: `test-pub-${system.site}` });
    socket = io(`${system.httpUrl}/live`, { auth: { token }, transports: ['websocket'] });
  });

  afterAll(async () => {
    socket?.disconnect();
    await publisher?.endAsync();
    await system?.stop();
  });

  const topic = (station: string, channel: 'state' | 'count' | 'cycle') =>
    floorboardTopic({ site: 'plant-a', line: 'assembly-1', station, channel });

  it('pushes station:state-changed to a subscribed client and shows the state in GET …/live', async () => {
    const snapshot = new Promise<LineSnapshotPayload>((resolve) => socket.once('line:snapshot', resolve));
    expect(await socket.emitWithAck('subscribe', { lines: ['assembly-1'] })).toEqual({
      ok: true,
      lines: ['assembly-1'],
    });
    const { rev } = await snapshot;

    const changed = new Promise<StationStateChangedPayload>((resolve) =>
      socket.on('station:state-changed', (p) => p.station === 'weld' && resolve(p)),
    );
    const ts = Date.now();
    await publisher.publishAsync(
      topic('weld', 'state'),
      JSON.stringify({ ts, state: 'down', reason: 'tool breakage' }),
      { qos: 1 },
    );

    const delta = await changed;
    expect(delta).toMatchObject({
      line: 'assembly-1',
      station: 'weld',
      state: 'down',
      since: ts,
      reason: 'tool breakage',
    });
    expect(delta.rev).toBeGreaterThan(rev);

    const live = await getJson<LineLive>(`${system.httpUrl}/api/v1/lines/assembly-1/live`, token);
    expect(live.stations.find((s) => s.key === 'weld')).toMatchObject({
      state: 'down',
      since: ts,
      reason: 'tool breakage',
    });
  });

  it('counts malformed MQTT payloads at the gateway, keeps running and loses none of the valid ones', async () => {
    const ts = Date.now();
    const garbage: [string, string][] = [
      [topic('paint', 'state'), '{not json'],
      [topic('paint', 'state'), JSON.stringify({ ts, state: 'exploded' })],
      [topic('paint', 'count'), JSON.stringify({ ts, good: -3 })],
      [topic('paint', 'state'), JSON.stringify({ ts: ts / 1000, state: 'running' })],
      ['floorboard/v1/plant-a/assembly-1/paint/colour', JSON.stringify({ ts, colour: 'red' })],
      ['floorboard/v1/plant-a/Assembly One/paint/state', JSON.stringify({ ts, state: 'running' })],
    ];
    for (const [t, payload] of garbage) await publisher.publishAsync(t, payload, { qos: 1 });
    await publisher.publishAsync(topic('paint', 'state'), JSON.stringify({ ts, state: 'changeover' }), { qos: 1 });
    await publisher.publishAsync(topic('pack', 'count'), JSON.stringify({ ts, good: 5, scrap: 1 }), { qos: 1 });

    const live = await eventually(
      async () => {
        const l = await getJson<LineLive>(`${system.httpUrl}/api/v1/lines/assembly-1/live`, token);
        const pack = l.stations.find((s) => s.key === 'pack');
        return pack && pack.good === 5 ? l : undefined;
      },
      15_000,
      'valid events after garbage',
    );
    expect(live.stations.find((s) => s.key === 'paint')).toMatchObject({ state: 'changeover', since: ts });
    expect(live.stations.find((s) => s.key === 'pack')).toMatchObject({ good: 5, scrap: 1 });

    const healthUrl = await gatewayUrl(system);
    const metrics = await (await fetch(`${healthUrl}/metrics`)).text();
    const decodeErrors = [...metrics.matchAll(/^floorboard_gateway_decode_errors_total\{[^}]*\} (\d+)/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(decodeErrors).toBe(garbage.length);
    expect(system.gateway.child.exitCode).toBeNull();
    expect(system.server.child.exitCode).toBeNull();
  });
});

async function gatewayUrl(system: RunningSystem): Promise<string> {
  const ready = system.gateway.lines
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    })
    .find((e) => e.msg === 'gateway ready');
  return `http://127.0.0.1:${String(ready?.port)}`;
}
