import type { LineKpis, PlantFile, StationEvent, StationState, Stop } from '@floorboard/shared';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { KpiRollupStore } from '../../src/modules/history/kpi-rollup.store.js';
import { KpiRollupRefresher } from '../../src/modules/kpis/kpi-rollup-refresher.js';
import { dropTestSchema, startTestServer, type TestServer } from '../support/test-server.js';
import { KPI_PLANT, stateAt } from '../support/kpi-fixtures.js';

const MIN = 60_000;
const STATIONS = ['s1', 's2', 's3'];
/** The KPI suites' Berlin calendar (shifts Early, Late, Night; micro-stops under 120 s) with two lines. */
const PLANT: PlantFile = {
  ...KPI_PLANT,
  lines: ['roll', 'fresh'].map((key) => ({
    key,
    name: key,
    site: 'plant-r',
    idealCycleTimeSec: 60,
    stations: STATIONS.map((station) => ({ key: station, name: station.toUpperCase(), idealCycleTimeSec: 60 })),
  })),
};
/** The Early shift of 2026-03-03 in Berlin (UTC+1). */
const T0 = Date.parse('2026-03-03T06:00:00+01:00');

/**
 * Eight hours of every kind of state on three stations (fixed pseudo-random lengths from 20 s to 40 min,
 * with reasons), ending idle, so every 15-minute bucket can be rolled up.
 */
function shiftHistory(line = 'roll'): StationEvent[] {
  const states: StationState[] = ['running', 'down', 'starved', 'running', 'blocked', 'idle', 'changeover', 'down'];
  const reasons = ['Jam', 'Motor fault', 'hydraulic leak'];
  const events: StationEvent[] = [];
  let k = 7;
  for (const station of STATIONS) {
    let t = T0;
    for (let i = 0; t < T0 + 8 * 60 * MIN; i++) {
      k = (k * 48271) % 2147483647;
      const state = states[(i + k) % states.length]!;
      events.push(stateAt(line, station, t, state, state === 'down' ? { reason: reasons[k % 3]! } : {}));
      t += 20_000 + (k % (40 * MIN));
    }
    events.push(stateAt(line, station, T0 + 8 * 60 * MIN + 5 * MIN, 'idle'));
  }
  return events;
}

/**
 * The same history on two servers, one with KPI rollups and one without (FLOORBOARD_KPI_ROLLUPS=off): every
 * answer must be the same, to the last bit, before and after the history changes under the stored rollups.
 */
describe('KPI rollups', () => {
  let rolled: TestServer;
  let raw: TestServer;

  beforeAll(async () => {
    rolled = await startTestServer({ plant: PLANT });
    raw = await startTestServer({ plant: PLANT, env: { FLOORBOARD_KPI_ROLLUPS: 'off' } });
    await sendToBoth(shiftHistory());
  }, 120_000); // two servers on embedded PostgreSQL: slow on a loaded machine
  afterAll(async () => {
    for (const server of [rolled, raw].filter(Boolean)) {
      await dropTestSchema(server);
      await server.close();
    }
  });

  async function sendToBoth(events: StationEvent[]) {
    for (const server of [rolled, raw]) {
      const res = await server.ingest({ gatewayId: 'gw-kpi', events }).expect(200);
      expect(res.body).toMatchObject({ accepted: events.length, rejected: [] });
    }
  }
  const kpis = async (server: TestServer, query: string) =>
    (await server.get(`/api/v1/lines/roll/kpis?${query}`).expect(200)).body as LineKpis;
  const range = (from: number, to: number) => `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
  const WINDOWS = [
    'shift=Early&date=2026-03-03',
    'date=2026-03-03',
    // Edges off the bucket grid, inside periods.
    range(T0 + 67 * MIN + 13_000, T0 + 412 * MIN + 41_000),
    range(T0 + 2 * 60 * MIN, T0 + 3 * 60 * MIN),
  ];
  const stored = async (line = 'roll') =>
    (await rolled.app
      .get(DataSource)
      .query(
        `SELECT (extract(epoch FROM bucket_start) * 1000)::bigint AS start, (extract(epoch FROM extent_start) * 1000)::bigint AS extent_start, (extract(epoch FROM extent_end) * 1000)::bigint AS extent_end FROM kpi_rollups WHERE line_key = $1 ORDER BY bucket_start`,
        [line],
      )) as { start: string; extent_start: string; extent_end: string }[];

  async function expectSameAnswers(): Promise<LineKpis[]> {
    const answers: LineKpis[] = [];
    for (const query of WINDOWS) {
      const fromRollups = await kpis(rolled, query);
      expect(fromRollups).toEqual(await kpis(raw, query));
      answers.push(fromRollups);
    }
    return answers;
  }

  it('answers from stored 15-minute buckets exactly as from raw history', async () => {
    const first = await expectSameAnswers();
    const rows = await stored();
    // The production day's settled buckets were computed and stored by the first queries…
    expect(rows.length).toBeGreaterThanOrEqual(30);
    for (const row of rows) expect(Number(row.start) % (15 * MIN)).toBe(0);
    // …and the answers read from them are the same again.
    expect(await expectSameAnswers()).toEqual(first);
    expect(first[0]!.downtime.length).toBeGreaterThan(1);
    expect(first[0]!.bottleneck.station).not.toBeNull();
  });

  it('drops the buckets a late event may change, and answers with the changed history', async () => {
    const before = await expectSameAnswers();
    const late = T0 + 3 * 60 * MIN + 30_000;
    await sendToBoth(STATIONS.map((station) => stateAt('roll', station, late, 'down', { reason: 'Jam' })));
    const rows = await stored();
    expect(rows.filter((r) => Number(r.extent_end) >= late)).toEqual([]);
    expect(rows.filter((r) => Number(r.extent_end) < late).length).toBeGreaterThan(0);
    const after = await expectSameAnswers();
    expect(after[0]!.stateSeconds).not.toEqual(before[0]!.stateSeconds);
    expect((await stored()).length).toBeGreaterThan(rows.length);
  });

  it('keeps every stored bucket when live events arrive (only late ones can change settled history)', async () => {
    await expectSameAnswers();
    const before = await stored();
    await sendToBoth(STATIONS.map((station) => stateAt('roll', station, Date.now() - 60_000, 'running')));
    expect(await stored()).toEqual(before);
    await expectSameAnswers();
  });

  it("drops the buckets of a stop a coordinator classifies, and counts it under the coordinator's reason", async () => {
    await expectSameAnswers();
    const rows = await stored();
    // A stop the stored buckets depend on: one that starts inside a stored bucket's extent.
    const list = (await rolled.get(`/api/v1/lines/roll/stops?${range(T0, T0 + 8 * 60 * MIN)}`).expect(200))
      .body as Stop[];
    const stop = list.find(
      (s) =>
        s.state === 'down' &&
        rows.some((r) => Number(r.extent_start) <= Date.parse(s.start) && Number(r.extent_end) >= Date.parse(s.start)),
    )!;
    expect(stop).toBeDefined();
    const late = Date.parse(stop.start);
    for (const server of [rolled, raw]) {
      await request(server.httpUrl)
        .put(`/api/v1/stops/${stop.id}/reason`)
        .set('Authorization', `Bearer ${server.adminToken}`)
        .send({ reasonKey: 'no-material' })
        .expect(200);
    }
    expect((await stored()).filter((r) => Number(r.extent_start) <= late && Number(r.extent_end) >= late)).toEqual([]);
    const [shift] = await expectSameAnswers();
    expect(shift!.downtime.map((d) => d.reason)).toContain('no-material');
  });

  it('fills the store in the background, so the first query reads stored buckets', async () => {
    await sendToBoth(shiftHistory('fresh'));
    expect(await stored('fresh')).toEqual([]);
    const refresher = rolled.app.get(KpiRollupRefresher);
    // Every line's settled buckets of the eight days before, from its first recorded state on: for `fresh` those
    // from T0 to 15 min before the pass (none of the empty days before its history), and those `roll` lacked.
    const count = await refresher.refreshAll(T0 + 24 * 60 * MIN);
    const rows = await stored('fresh');
    expect(Number(rows[0]!.start)).toBe(T0);
    expect(Number(rows[rows.length - 1]!.start)).toBe(T0 + 23 * 60 * MIN + 30 * MIN);
    expect(rows).toHaveLength(95);
    expect(count).toBeGreaterThanOrEqual(rows.length);
    const query = 'shift=Early&date=2026-03-03';
    const fromStore = (await rolled.get(`/api/v1/lines/fresh/kpis?${query}`).expect(200)).body as LineKpis;
    expect(fromStore).toEqual((await raw.get(`/api/v1/lines/fresh/kpis?${query}`).expect(200)).body);
    // The query found the buckets it could use already stored.
    expect(await stored('fresh')).toEqual(rows);
    // A second pass finds nothing left to do.
    expect(await refresher.refreshAll(T0 + 24 * 60 * MIN)).toBe(0);
  });

  it('refuses to store buckets computed from history read before an invalidation', async () => {
    const store = rolled.app.get(KpiRollupStore);
    const settings = { microStopMs: 120_000, stations: STATIONS };
    const [bucket] = await store.load('fresh', T0, T0 + 15 * MIN, settings);
    expect(bucket).toBeDefined();
    const epoch = await store.startEpoch('fresh');
    await sendToBoth([stateAt('fresh', 's1', T0 + 7 * 60 * MIN, 'down')]); // late: bumps the epoch
    expect(await store.save('fresh', epoch, settings, [bucket!])).toBe(false);
    expect(await store.save('fresh', await store.startEpoch('fresh'), settings, [bucket!])).toBe(true);
  });
  it("drops every stored bucket when the reason catalogue changes, and follows the reasons' new OEE buckets", async () => {
    const [shiftBefore] = await expectSameAnswers();
    expect((await stored()).length).toBeGreaterThan(0);
    // A manager makes jams planned stops and motor faults speed losses (both send these texts as reasons).
    for (const server of [rolled, raw]) {
      for (const [key, oeeBucket] of [
        ['jam', 'excluded'],
        ['motor-fault', 'performance'],
      ]) {
        await request(server.httpUrl)
          .patch(`/api/v1/reasons/${key}`)
          .set('Authorization', `Bearer ${server.adminToken}`)
          .send({ oeeBucket })
          .expect(200);
      }
    }
    expect(await stored()).toEqual([]);
    const [shiftAfter] = await expectSameAnswers();
    // Less planned busy time and more operating time: availability can only rise, and here it does.
    expect(shiftAfter!.oee.availability!).toBeGreaterThan(shiftBefore!.oee.availability!);
    expect(shiftAfter!.mtbfSeconds).not.toEqual(shiftBefore!.mtbfSeconds);
    // The buckets are stored again under the new catalogue, and still answer as the raw computation does.
    expect((await stored()).length).toBeGreaterThan(0);
    await expectSameAnswers();
  });
});
