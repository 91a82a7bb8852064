import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { floorboardTopic } from '@floorboard/shared';
import { mosquittoAvailable, startMosquitto, type PrivateMosquitto } from '../support/mosquitto.js';
import { endPersistentSession } from '../support/mqtt-session.js';
import { eventually, startSystem, type RunningSystem } from '../support/system.js';

/**
 * Fault injection on the real path: stations → private Mosquitto → gateway process → server process →
 * PostgreSQL. After each fault the database must hold exactly the valid events that were published: none
 * missing, none doubled, each one identical to what was sent (a unique counter in every payload).
 */
const SERVER_STOP_S = Number(process.env.FAULT_SERVER_STOP_S ?? 30);
const RATE = 500; // events per second, all stations of a case together
const STATIONS = ['s1', 's2', 's3', 's4', 's5'];
/** Extra events published during the outage in (a), so the backlog takes a while to drain. */
const BURST = Number(process.env.FAULT_BURST ?? 30_000);
/** How soon after publishing an event must be committed while the backlog still drains. */
const LIVE_LATENCY_LIMIT_MS = Number(process.env.FAULT_LIVE_LATENCY_MS ?? 5_000);

const missing = [
  !process.env.DATABASE_URL && 'DATABASE_URL (a real PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/test)',
  !mosquittoAvailable() && 'the `mosquitto` binary (a private broker is started on a free port)',
].filter(Boolean);
if (missing.length > 0) {
  console.warn(`[faults] SKIPPED: the fault suite needs ${missing.join(' and ')}.`);
}
const describeFaults = missing.length > 0 ? describe.skip : describe;

/** What a load run published: the expected rows of `station_events`, and the garbage count. */
interface Published {
  line: string;
  keys: string[];
  garbage: number;
}

/**
 * Publishes `RATE` messages/s round-robin over the stations of one line until stopped. Every message
 * carries a unique counter n: cycle events have `ms = n`, every fifth is a `down` state with
 * `reason = "r<n>"`; `ts = base + n`. QoS 2 with a persistent session, so a broker restart cannot make the
 * *publisher* deliver a message twice (QoS 1 publishers may, by MQTT's rules).
 */
class StationLoad {
  private n = 0;
  private timer?: NodeJS.Timeout;
  private readonly pending: Promise<unknown>[] = [];
  readonly published: Published;
  private readonly base = Date.now() - 3_600_000;

  constructor(
    private readonly client: MqttClient,
    private readonly site: string,
    line: string,
    private readonly garbageEvery = 0,
  ) {
    this.published = { line, keys: [], garbage: 0 };
  }

  start(): void {
    // Catches up on late timer ticks (a busy machine), so the rate holds: RATE per second since the start.
    const startedAt = Date.now();
    this.timer = setInterval(() => {
      const due = Math.floor(((Date.now() - startedAt) / 1000) * RATE) - this.n;
      for (let i = 0; i < due; i++) this.publishOne();
    }, 20);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.pending);
  }

  private publishOne(): void {
    const n = ++this.n;
    const station = STATIONS[n % STATIONS.length]!;
    const ts = this.base + n;
    const topic = (channel: string) =>
      floorboardTopic({ site: this.site, line: this.published.line, station, channel: channel as 'state' });
    let t: string;
    let payload: string;
    if (this.garbageEvery > 0 && n % this.garbageEvery === 0) {
      const kind = (n / this.garbageEvery) % 5;
      [t, payload] = [
        [topic('state'), `{not json ${n}`],
        [topic('state'), JSON.stringify({ ts, state: 'exploded' })],
        [topic('count'), JSON.stringify({ ts, good: -n })],
        [topic('cycle'), JSON.stringify({ ts: Math.floor(ts / 1000), ms: n })],
        [topic('colour'), JSON.stringify({ ts, colour: n })],
      ][kind] as [string, string];
      this.published.garbage += 1;
    } else if (n % 5 === 0) {
      t = topic('state');
      payload = JSON.stringify({ ts, state: 'down', reason: `r${n}` });
      this.published.keys.push(`state|${station}|r${n}|${ts}`);
    } else {
      t = topic('cycle');
      payload = JSON.stringify({ ts, ms: n });
      this.published.keys.push(`cycle|${station}|${n}|${ts}`);
    }
    this.pending.push(this.client.publishAsync(t, payload, { qos: 2 }));
  }
}

describeFaults('gateway fault injection (real PostgreSQL, private Mosquitto)', () => {
  let broker: PrivateMosquitto;
  let system: RunningSystem;
  let publisher: MqttClient;
  let db: pg.Client;
  const publisherId = `fault-pub-${process.pid}`;

  beforeAll(async () => {
    broker = await startMosquitto();
    system = await startSystem({ mqttUrl: broker.url });
    publisher = await mqtt.connectAsync(broker.url, {
      clientId: publisherId,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 250,
    });
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    await db.query(`SET search_path TO "${system.schema}"`);
  }, 120_000);

  afterAll(async () => {
    await publisher?.endAsync();
    await db?.end();
    await system?.stop();
    if (broker) await endPersistentSession(broker.url, publisherId).catch(() => undefined);
    await broker?.dispose();
  });

  /** Waits until the gateway's outbox is empty and the row count is stable, then compares row by row. */
  async function expectExactlyPublished(p: Published, timeoutMs = 90_000): Promise<void> {
    const rows = await eventually(
      async () => {
        const depth = await gatewayMetric('floorboard_gateway_outbox_depth');
        const { rows } = await db.query<{ k: string }>(
          `SELECT type || '|' || station_key || '|' || coalesce(reason, cycle_ms::text) || '|' ||
                  (extract(epoch FROM ts) * 1000)::bigint AS k
             FROM station_events WHERE line_key = $1`,
          [p.line],
        );
        return depth === 0 && rows.length >= p.keys.length ? rows.map((r) => r.k) : undefined;
      },
      timeoutMs,
      `${p.keys.length} events of ${p.line} in the database`,
    );
    const expected = new Set(p.keys);
    const seen = new Map<string, number>();
    for (const k of rows) seen.set(k, (seen.get(k) ?? 0) + 1);
    const missingKeys = p.keys.filter((k) => !seen.has(k));
    const doubled = [...seen].filter(([, c]) => c > 1).map(([k]) => k);
    const unexpected = [...seen.keys()].filter((k) => !expected.has(k));
    expect({
      missing: missingKeys.slice(0, 5),
      doubled: doubled.slice(0, 5),
      unexpected: unexpected.slice(0, 5),
    }).toEqual({ missing: [], doubled: [], unexpected: [] });
    expect(rows).toHaveLength(p.keys.length);
    // Per station, too: every station got exactly its share.
    const perStation = (keys: string[]) =>
      Object.fromEntries(STATIONS.map((s) => [s, keys.filter((k) => k.split('|')[1] === s).length]));
    expect(perStation(rows)).toEqual(perStation(p.keys));
  }

  async function gatewayMetric(name: string): Promise<number> {
    const text = await (await fetch(`${system.gatewayUrl()}/metrics`)).text();
    return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'gm'))].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('(d) 10 % garbage mixed into valid traffic: every valid event stored once, every bad one counted', async () => {
    const before = await gatewayMetric('floorboard_gateway_decode_errors_total');
    const load = new StationLoad(publisher, system.site, 'fault-garbage', 10);
    load.start();
    await sleep(6_000);
    await load.stop();
    await expectExactlyPublished(load.published);
    expect(load.published.garbage).toBeGreaterThan(250);
    const counted = await gatewayMetric('floorboard_gateway_decode_errors_total');
    expect(counted - before).toBe(load.published.garbage);
    expect(system.gateway.child.exitCode).toBeNull();
  }, 120_000);

  /** `count` messages (good 1, unique ts) published on one line as fast as the broker takes them (QoS 1). */
  async function publishBurst(line: string, count: number, base: number): Promise<void> {
    const topic = floorboardTopic({ site: system.site, line, station: 's1', channel: 'count' });
    for (let i = 0; i < count; i += 500) {
      const chunk = Array.from({ length: Math.min(500, count - i) }, (_, j) =>
        publisher.publishAsync(topic, JSON.stringify({ ts: base + i + j, good: 1 }), { qos: 1 }),
      );
      await Promise.all(chunk);
    }
  }

  it(`(a) server stopped for ${SERVER_STOP_S} s under ${RATE} events/s: nothing lost, nothing doubled, live data not held behind the backlog`, async () => {
    const load = new StationLoad(publisher, system.site, 'fault-server');
    load.start();
    await sleep(3_000);
    await system.stopServer();
    // A burst on top of the steady load, so the backlog takes seconds to drain even on a fast machine.
    const burstBase = Date.now() - 7_200_000;
    await publishBurst('fault-backlog', BURST, burstBase);
    await sleep(SERVER_STOP_S * 1000);
    // The gateway kept taking messages into its outbox while the server was away.
    expect(await gatewayMetric('floorboard_gateway_outbox_depth')).toBeGreaterThan(BURST + RATE * (SERVER_STOP_S - 5));
    const sentBefore = await gatewayMetric('floorboard_gateway_events_sent_total');
    await system.startServer();

    // Once the gateway commits again, an event published now must not wait for the whole backlog (live lane).
    await eventually(
      async () => ((await gatewayMetric('floorboard_gateway_events_sent_total')) > sentBefore ? true : undefined),
      60_000,
      'the gateway committing again after the outage',
    );
    const publishedAt = Date.now();
    await publisher.publishAsync(
      floorboardTopic({ site: system.site, line: 'fault-live', station: 's1', channel: 'state' }),
      JSON.stringify({ ts: publishedAt, state: 'running' }),
      { qos: 1 },
    );
    const markerId = await eventually(
      async () => {
        const { rows } = await db.query<{ id: string }>(`SELECT id FROM station_events WHERE line_key = 'fault-live'`);
        return rows[0]?.id;
      },
      30_000,
      'the live event in the database',
    );
    const latencyMs = Date.now() - publishedAt;
    const depthThen = await gatewayMetric('floorboard_gateway_outbox_depth');
    expect(latencyMs).toBeLessThan(LIVE_LATENCY_LIMIT_MS);

    await sleep(3_000);
    await load.stop();
    await expectExactlyPublished(load.published);
    const { rows: burst } = await db.query<{ n: number; distinct_ts: number; good: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT ts)::int AS distinct_ts, sum(good)::int AS good
         FROM station_events WHERE line_key = 'fault-backlog'`,
    );
    expect(burst[0]).toEqual({ n: BURST, distinct_ts: BURST, good: BURST });
    // Backlog rows committed after the live event: it overtook the backlog instead of queuing behind it.
    const { rows: after } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM station_events WHERE line_key IN ('fault-backlog', 'fault-server') AND id > $1`,
      [markerId],
    );
    console.log(
      `[faults] live event committed ${latencyMs} ms after publishing, with ${depthThen} events still in the ` +
        `outbox; ${after[0]!.n} backlog events were committed after it`,
    );
    expect(after[0]!.n).toBeGreaterThan(BURST / 2);
    await expectIntervalsFollowEventTime(load.published);
  }, 240_000);

  /**
   * The live lane commits newer events before older ones of the same station; the history must still put every
   * state event in its place: per station, one interval per state event, in event-time order, each ending where
   * the next begins (the last one open).
   */
  async function expectIntervalsFollowEventTime(p: Published): Promise<void> {
    const { rows } = await db.query<{ station_key: string; reason: string; start_ms: string; end_ms: string | null }>(
      `SELECT station_key, reason, (extract(epoch FROM start_ts) * 1000)::bigint AS start_ms,
              (extract(epoch FROM end_ts) * 1000)::bigint AS end_ms
         FROM state_intervals WHERE line_key = $1 ORDER BY station_key, start_ts`,
      [p.line],
    );
    for (const station of STATIONS) {
      const states = p.keys
        .filter((k) => k.startsWith(`state|${station}|`))
        .map((k) => {
          const [, , reason, ts] = k.split('|');
          return { reason: reason!, ts: Number(ts) };
        })
        .sort((a, b) => a.ts - b.ts);
      const stored = rows.filter((r) => r.station_key === station);
      expect(stored.map((r) => [r.reason, Number(r.start_ms)])).toEqual(states.map((e) => [e.reason, e.ts]));
      expect(stored.map((r) => (r.end_ms === null ? null : Number(r.end_ms)))).toEqual(
        states.map((_, i) => states[i + 1]?.ts ?? null),
      );
    }
  }

  it('(b) gateway SIGKILLed mid-stream and restarted on the same data dir: nothing lost, nothing doubled', async () => {
    const load = new StationLoad(publisher, system.site, 'fault-gateway-kill');
    load.start();
    await sleep(3_000);
    await system.restartGateway('SIGKILL');
    await sleep(3_000);
    await load.stop();
    await expectExactlyPublished(load.published);
  }, 120_000);

  it('(c) broker restarted mid-stream: nothing lost, nothing doubled', async () => {
    const load = new StationLoad(publisher, system.site, 'fault-broker');
    load.start();
    await sleep(3_000);
    await broker.restart(2_000);
    await sleep(4_000);
    await load.stop();
    await expectExactlyPublished(load.published);
    expect(await gatewayMetric('floorboard_gateway_mqtt_reconnects_total')).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
