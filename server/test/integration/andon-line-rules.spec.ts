import request from 'supertest';
import { io, type Socket } from 'socket.io-client';
import type {
  Alert,
  AlertEventPayload,
  AndonRule,
  ClientToServerEvents,
  LineLive,
  PlantFile,
  Role,
  ServerToClientEvents,
  StationEvent,
  StationState,
} from '@floorboard/shared';
import { AndonService } from '../../src/modules/andon/andon.service.js';
import { restartableStorage, startTestServer, type TestServer } from '../support/test-server.js';
import { stationEvent } from '../support/fixtures.js';
import { signInEveryRole } from '../support/users.js';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;
type AlertEvent = 'alert:raised' | 'alert:cleared' | 'alert:acknowledged';

const MIN = 60_000;
const hhmm = (ts: number) => new Date(ts).toISOString().slice(11, 16);
/** A shift that began an hour before the suite (UTC, whole minute) and runs 8 hours: always in a full window. */
const SHIFT_START = Math.floor((Date.now() - 60 * MIN) / MIN) * MIN;
const PLANT: PlantFile = {
  timezone: 'UTC',
  productionDayStart: hhmm(SHIFT_START),
  microStopSeconds: 120,
  shifts: [{ name: 'Current', start: hhmm(SHIFT_START), end: hhmm(SHIFT_START + 8 * 60 * MIN) }],
  lines: [
    // Target 3600 / 30 s = 120 good units per hour.
    {
      key: 'line-b',
      name: 'Line B',
      site: 'plant-t',
      idealCycleTimeSec: 30,
      stations: [
        { key: 'cut', name: 'Cut', idealCycleTimeSec: 20 },
        { key: 'weld', name: 'Weld', idealCycleTimeSec: 25 },
        { key: 'pack', name: 'Pack', idealCycleTimeSec: 30 },
      ],
    },
    {
      key: 'line-c',
      name: 'Line C',
      site: 'plant-t',
      idealCycleTimeSec: 30,
      stations: [
        { key: 'saw', name: 'Saw', idealCycleTimeSec: 20 },
        { key: 'drill', name: 'Drill', idealCycleTimeSec: 25 },
        { key: 'paint', name: 'Paint', idealCycleTimeSec: 30 },
      ],
    },
  ],
};

/**
 * The line andon rules through the real ingest endpoint, REST API and a socket.io client. Time is event time:
 * events are stamped up to 40 minutes in the past, inside a shift that began an hour before the suite, so the
 * rolling window and the debounce have already run when they arrive.
 */
describe('andon line rules: line below target, bottleneck moved', () => {
  const storage = restartableStorage('andon-lines');
  let server: TestServer;
  let tokens: Record<Role, string>;
  let socket: LiveClient;
  const received: { event: AlertEvent; payload: AlertEventPayload }[] = [];
  const api = () => request(server.httpUrl);
  const andon = () => server.app.get(AndonService);

  const pushed = (event: AlertEvent, match: (a: Alert) => boolean) =>
    new Promise<AlertEventPayload>((resolve, reject) => {
      const started = Date.now();
      const poll = () => {
        const hit = received.find((r) => r.event === event && match(r.payload.alert));
        if (hit) return resolve(hit.payload);
        if (Date.now() - started > 8000) return reject(new Error(`no ${event} within 8 s`));
        setTimeout(poll, 50);
      };
      poll();
    });
  const raisedOn = (line: string, rule: AndonRule['kind']) =>
    received.filter((r) => r.event === 'alert:raised' && r.payload.alert.rule === rule && r.payload.line === line);
  const setRules = (rules: Partial<AndonRule>[]) =>
    api().put('/api/v1/andon/rules').set('Authorization', `Bearer ${tokens.manager}`).send({ rules });
  const openAlerts = async (line: string) =>
    (await server.get(`/api/v1/alerts?state=open&line=${line}`, tokens.viewer).expect(200)).body as Alert[];
  const live = async (line: string) =>
    (await server.get(`/api/v1/lines/${line}/live`, tokens.viewer).expect(200)).body as LineLive;
  const send = (events: StationEvent[]) => server.ingest({ gatewayId: 'gw-lines', events }).expect(200);
  const state = (line: string, station: string, value: StationState, ts: number) =>
    stationEvent({ gatewayId: 'gw-lines', line, station, state: value, ts });
  const count = (line: string, station: string, good: number, ts: number) =>
    stationEvent({ gatewayId: 'gw-lines', line, station, type: 'count', state: undefined, good, scrap: 0, ts });

  beforeAll(async () => {
    server = await startTestServer({ plant: PLANT, dataDir: storage.dataDir, schema: storage.schema });
    tokens = await signInEveryRole(server, 'lines');
    socket = io(`${server.httpUrl}/live`, {
      auth: { token: tokens.viewer },
      transports: ['websocket'],
      reconnection: false,
    });
    for (const event of ['alert:raised', 'alert:cleared', 'alert:acknowledged'] as const) {
      socket.on(event, (payload) => received.push({ event, payload }));
    }
    expect(await socket.emitWithAck('subscribe', { lines: ['line-b', 'line-c'] })).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    socket.disconnect();
    await storage.release(server);
  });

  it('serves the line rules with their defaults', async () => {
    const rules = (await server.get('/api/v1/andon/rules', tokens.manager).expect(200)).body as AndonRule[];
    expect(rules.filter((r) => r.kind === 'line-below-target' || r.kind === 'bottleneck-moved')).toEqual([
      { kind: 'line-below-target', enabled: true, thresholdSeconds: 0, thresholdPercent: 80 },
      { kind: 'bottleneck-moved', enabled: true, thresholdSeconds: 300 },
    ]);
  });

  it('raises line-below-target for a line at half its target over 15 minutes, and clears it on recovery', async () => {
    await setRules([{ kind: 'line-below-target', thresholdPercent: 45 }]).expect(200);
    const t = Date.now();
    // Running for 40 minutes; the output station packs one unit a minute over the last 14 minutes. The rolling
    // window is 14 to 15 minutes long, so that is 56–60 units/h against 120: 46.7–50 % of target.
    await send([
      state('line-b', 'cut', 'running', t - 40 * MIN),
      state('line-b', 'weld', 'running', t - 40 * MIN),
      state('line-b', 'pack', 'running', t - 40 * MIN),
      ...Array.from({ length: 14 }, (_, k) => count('line-b', 'pack', 1, t - (k + 0.5) * MIN)),
    ]);
    await andon().evaluate();
    const { throughput } = await live('line-b');
    expect(throughput!.targetPerHour).toBe(120);
    expect(throughput!.unitsPerHour).toBeGreaterThanOrEqual(56);
    expect(throughput!.unitsPerHour).toBeLessThanOrEqual(60);
    // Above a 45 % threshold: nothing. At 80 % (the default) the change of rule alone raises it.
    expect(raisedOn('line-b', 'line-below-target')).toEqual([]);
    await setRules([{ kind: 'line-below-target', thresholdPercent: 80 }]).expect(200);
    const raised = await pushed('alert:raised', (a) => a.rule === 'line-below-target' && a.lines[0] === 'line-b');
    expect(raised.line).toBe('line-b');
    expect(raised.alert).toMatchObject({ station: null, gatewayId: null, fromStation: null, clearedAt: null });
    expect(raised.alert.percentOfTarget).toBeGreaterThanOrEqual(46.6);
    expect(raised.alert.percentOfTarget).toBeLessThanOrEqual(50);
    expect(raised.alert.message).toBe(
      `line-b at ${raised.alert.percentOfTarget} % of target over the last 15 min (below 80 %)`,
    );
    expect((await openAlerts('line-b')).map((a) => a.id)).toEqual([raised.alert.id]);

    // One open alert per line: evaluating again raises nothing new.
    await andon().evaluate();
    expect(raisedOn('line-b', 'line-below-target')).toHaveLength(1);

    // Recovery: 20 more units now, 34 in the window: at least 136 units/h, 113 % ≥ 85 %.
    await send([count('line-b', 'pack', 20, Date.now() - 1000)]);
    const cleared = await pushed('alert:cleared', (a) => a.id === raised.alert.id);
    expect(cleared.alert.clearedAt).not.toBeNull();
    expect(cleared.rev).toBeGreaterThan(raised.rev);
    expect(await openAlerts('line-b')).toEqual([]);
  });

  it('raises bottleneck-moved when the bottleneck moves and stays, from → to, and nothing for a brief move', async () => {
    const t = Date.now();
    const moves = () => raisedOn('line-c', 'bottleneck-moved').map((r) => r.payload.alert);
    await send([
      state('line-c', 'saw', 'running', t - 40 * MIN),
      state('line-c', 'drill', 'running', t - 35 * MIN),
      state('line-c', 'paint', 'running', t - 30 * MIN),
    ]);
    await andon().evaluate();
    // The saw has the longest active period: the first stable bottleneck, not a move.
    expect((await live('line-c')).bottleneck!.station).toBe('saw');
    expect(moves()).toEqual([]);

    // The saw is starved from 20 minutes ago: the drill has been the bottleneck for 20 min ≥ 300 s.
    await send([state('line-c', 'saw', 'starved', t - 20 * MIN)]);
    const first = await pushed('alert:raised', (a) => a.rule === 'bottleneck-moved' && a.lines[0] === 'line-c');
    expect(first.alert).toMatchObject({
      lines: ['line-c'],
      station: 'drill',
      fromStation: 'saw',
      since: new Date(t - 20 * MIN).toISOString(),
      message: 'bottleneck moved from saw to drill',
    });

    // The next move replaces it: cleared, and drill → paint raised.
    await send([state('line-c', 'drill', 'starved', t - 10 * MIN)]);
    await pushed('alert:cleared', (a) => a.id === first.alert.id);
    const second = await pushed('alert:raised', (a) => a.rule === 'bottleneck-moved' && a.station === 'paint');
    expect(second.alert).toMatchObject({ fromStation: 'drill', since: new Date(t - 10 * MIN).toISOString() });
    expect((await openAlerts('line-c')).filter((a) => a.rule === 'bottleneck-moved')).toEqual([second.alert]);

    // A brief move: paint blocked for 20 s hands the bottleneck to the drill (running again since 5 min ago),
    // then the drill starves and the paint runs again. 30 s of 300: nothing is raised or cleared.
    await send([state('line-c', 'drill', 'running', t - 5 * MIN), state('line-c', 'paint', 'blocked', t - 30_000)]);
    await andon().evaluate();
    expect((await live('line-c')).bottleneck!.station).toBe('drill');
    expect(moves()).toHaveLength(2);
    await send([state('line-c', 'drill', 'starved', t - 10_000), state('line-c', 'paint', 'running', t - 10_000)]);
    await andon().evaluate();
    expect((await live('line-c')).bottleneck!.station).toBe('paint');
    expect(moves()).toHaveLength(2);
    expect((await openAlerts('line-c')).filter((a) => a.rule === 'bottleneck-moved')).toEqual([second.alert]);
  });

  it('keeps the stable bottleneck over a restart: the open alert says where it was', async () => {
    const [open] = (await openAlerts('line-c')).filter((a) => a.rule === 'bottleneck-moved');
    expect(open).toMatchObject({ station: 'paint', fromStation: 'drill' });
    socket.disconnect();
    await server.close();
    server = await startTestServer({ plant: PLANT, dataDir: storage.dataDir, schema: storage.schema });
    tokens = await signInEveryRole(server, 'lines2');
    await andon().evaluate();
    expect((await live('line-c')).bottleneck!.station).toBe('paint');
    expect((await openAlerts('line-c')).filter((a) => a.rule === 'bottleneck-moved')).toEqual([open]);

    // A move after the restart is reported from the station of the open alert, which it replaces.
    await setRules([{ kind: 'bottleneck-moved', thresholdSeconds: 1 }]).expect(200);
    const t = Date.now();
    await send([state('line-c', 'drill', 'running', t - 3000), state('line-c', 'paint', 'blocked', t - 1500)]);
    await andon().evaluate();
    const [moved] = (await openAlerts('line-c')).filter((a) => a.rule === 'bottleneck-moved');
    expect(moved).toMatchObject({ station: 'drill', fromStation: 'paint', since: new Date(t - 1500).toISOString() });
    expect(moved!.id).not.toBe(open!.id);
  });

  it('validates the line rules on PUT', async () => {
    for (const rules of [
      [{ kind: 'line-below-target', thresholdPercent: 0 }],
      [{ kind: 'line-below-target', thresholdPercent: 101 }],
      [{ kind: 'line-below-target', thresholdPercent: 80.5 }],
      [{ kind: 'line-below-target', thresholdPercent: '80' }],
      [{ kind: 'bottleneck-moved', thresholdPercent: 50 }],
      [{ kind: 'bottleneck-moved', thresholdSeconds: -5 }],
    ]) {
      const res = await api()
        .put('/api/v1/andon/rules')
        .set('Authorization', `Bearer ${tokens.manager}`)
        .send({ rules });
      expect([res.status, res.body.code, rules]).toEqual([400, 'VALIDATION_FAILED', rules]);
    }
    const rules = (await server.get('/api/v1/andon/rules', tokens.manager).expect(200)).body as AndonRule[];
    expect(rules.find((r) => r.kind === 'line-below-target')).toMatchObject({ thresholdPercent: 80 });
  });
});
