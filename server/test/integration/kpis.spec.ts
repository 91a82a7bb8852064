import type { LineKpis, LineLive, LineTimeline, StationEvent } from '@floorboard/shared';
import request from 'supertest';
import { LiveStateService } from '../../src/modules/live/live-state.service.js';
import { dropTestSchema, restartableStorage, startTestServer, type TestServer } from '../support/test-server.js';
import { countAt, KPI_PLANT, stateAt } from '../support/kpi-fixtures.js';

const MIN = 60_000;

/**
 * Hand-computed scenarios, fed as events through the real ingest endpoint and read back through the REST API
 * (plant timezone Europe/Berlin; all dates in the past so the live path plays no part).
 */
describe('line KPIs and timeline', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ plant: KPI_PLANT });
  });
  afterAll(async () => {
    await dropTestSchema(server);
    await server.close();
  });

  const send = async (events: StationEvent[]) => {
    const res = await server.ingest({ gatewayId: 'gw-kpi', events }).expect(200);
    expect(res.body).toMatchObject({ accepted: events.length, rejected: [] });
  };
  const kpis = async (line: string, query: string) =>
    (await server.get(`/api/v1/lines/${line}/kpis?${query}`).expect(200)).body as LineKpis;
  const window = (from: string, to: string) => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

  it('reproduces the ISO 22400 worked example over an eight-hour shift', async () => {
    // PBT 480 min (06:00–14:00), APT 400 min (running until 12:40, then a jam), PRU 60 s, 342 good of 360.
    const counts = Array.from({ length: 9 }, (_, i) =>
      countAt('iso', 'cell', Date.parse('2026-02-10T06:30:00+01:00') + i * 40 * MIN, 38, 2),
    );
    await send([
      stateAt('iso', 'cell', '2026-02-10T06:00:00+01:00', 'running'),
      stateAt('iso', 'cell', '2026-02-10T12:40:00+01:00', 'down', { reason: 'jam' }),
      ...counts,
    ]);
    const byShift = await kpis('iso', 'shift=Early&date=2026-02-10');
    expect(byShift).toMatchObject({
      from: '2026-02-10T05:00:00.000Z',
      to: '2026-02-10T13:00:00.000Z',
      hours: 8,
      shift: 'Early',
      date: '2026-02-10',
      outputStation: 'cell',
      throughput: { unitsPerHour: 42.75, targetPerHour: 60, good: 342, scrap: 18 },
      downtime: [{ reason: 'jam', seconds: 4800, count: 1 }],
      mtbfSeconds: 24_000,
      mttrSeconds: 4800,
    });
    expect(byShift.oee.availability).toBeCloseTo(0.8333, 4);
    expect(byShift.oee.performance).toBeCloseTo(0.9, 10);
    expect(byShift.oee.quality).toBeCloseTo(0.95, 10);
    expect(byShift.oee.oee).toBeCloseTo(0.7125, 10);
    expect(byShift.stateSeconds.cell).toMatchObject({ running: 24_000, down: 4800, offline: 0 });
    const byRange = await kpis('iso', window('2026-02-10T06:00:00+01:00', '2026-02-10T14:00:00+01:00'));
    expect({ ...byRange, shift: 'Early', date: '2026-02-10' }).toEqual(byShift);
  });

  it('reproduces the bottleneck worked example (S3 sole 45 %, shifting 10 %)', async () => {
    const t0 = Date.parse('2026-02-11T08:00:00+01:00');
    const at = (minute: number) => t0 + minute * MIN;
    const script: [string, number, 'running' | 'starved' | 'blocked' | 'idle'][] = [
      ['s1', 0, 'running'],
      ['s1', 6, 'starved'],
      ['s1', 8, 'running'],
      ['s1', 12, 'blocked'],
      ['s1', 14, 'running'],
      ['s2', 0, 'idle'],
      ['s2', 2, 'running'],
      ['s2', 11, 'starved'],
      ['s2', 13, 'running'],
      ['s2', 16, 'blocked'],
      ['s3', 0, 'running'],
      ['s3', 3, 'starved'],
      ['s3', 5, 'running'],
      ['s3', 7, 'starved'],
      ['s3', 9, 'running'],
    ];
    // Shuffled on purpose: event time decides, not arrival order.
    await send(script.reverse().map(([station, minute, state]) => stateAt('flow', station, at(minute), state)));
    const result = await kpis('flow', window(new Date(at(0)).toISOString(), new Date(at(20)).toISOString()));
    expect(result.bottleneck.station).toBe('s3');
    const shares = Object.fromEntries(result.bottleneck.shares.map((s) => [s.station, [s.sole, s.shifting]]));
    expect(shares.s1![0]).toBeCloseTo(0.1, 10);
    expect(shares.s1![1]).toBeCloseTo(0.2, 10);
    expect(shares.s2![0]).toBeCloseTo(0.15, 10);
    expect(shares.s2![1]).toBeCloseTo(0.3, 10);
    expect(shares.s3![0]).toBeCloseTo(0.45, 10);
    expect(shares.s3![1]).toBeCloseTo(0.1, 10);
    expect(result.stateSeconds.s2).toMatchObject({ idle: 120, running: 12 * 60, starved: 120, blocked: 240 });
  });

  it('covers a night shift that crosses midnight', async () => {
    await send([
      stateAt('night', 'cell', '2026-02-12T22:00:00+01:00', 'running'),
      countAt('night', 'cell', '2026-02-12T23:00:00+01:00', 180),
      countAt('night', 'cell', '2026-02-13T01:00:00+01:00', 0, 18),
      stateAt('night', 'cell', '2026-02-13T02:00:00+01:00', 'down', { reason: 'Motor fault' }),
      stateAt('night', 'cell', '2026-02-13T03:00:00+01:00', 'running'),
      countAt('night', 'cell', '2026-02-13T04:00:00+01:00', 180),
      stateAt('night', 'cell', '2026-02-13T06:00:00+01:00', 'break'),
    ]);
    const night = await kpis('night', 'shift=Night&date=2026-02-12');
    expect(night).toMatchObject({
      from: '2026-02-12T21:00:00.000Z',
      to: '2026-02-13T05:00:00.000Z',
      hours: 8,
      throughput: { good: 360, scrap: 18, unitsPerHour: 45 },
      downtime: [{ reason: 'motor-fault', seconds: 3600, count: 1 }],
    });
    expect(night.oee.availability).toBeCloseTo(0.875, 10);
    expect(night.oee.performance).toBeCloseTo(0.9, 10);
    expect(night.oee.quality).toBeCloseTo(360 / 378, 10);
    expect(night.oee.oee).toBeCloseTo(0.75, 10);
  });

  it('reports 23 and 25 hours for the production days with a DST change', async () => {
    await send([stateAt('dst', 'cell', '2026-03-27T12:00:00+01:00', 'running')]);
    const spring = await kpis('dst', 'date=2026-03-28');
    expect(spring).toMatchObject({ from: '2026-03-28T05:00:00.000Z', to: '2026-03-29T04:00:00.000Z', hours: 23 });
    expect(spring.stateSeconds.cell).toMatchObject({ running: 23 * 3600, offline: 0 });
    expect(spring.oee.availability).toBe(1);
    const autumn = await kpis('dst', 'date=2026-10-24');
    expect(autumn).toMatchObject({ from: '2026-10-24T04:00:00.000Z', to: '2026-10-25T05:00:00.000Z', hours: 25 });
    expect(autumn.stateSeconds.cell.running).toBe(25 * 3600);
    expect(await kpis('dst', 'shift=Night&date=2026-03-28')).toMatchObject({ hours: 7 });
    expect(await kpis('dst', 'shift=Night&date=2026-10-24')).toMatchObject({ hours: 9 });
  });

  it('takes late and backfilled events into the window they belong to', async () => {
    await send([
      stateAt('late', 'cell', '2026-02-16T06:00:00+01:00', 'running'),
      countAt('late', 'cell', '2026-02-16T07:00:00+01:00', 100),
    ]);
    const early = 'shift=Early&date=2026-02-16';
    expect((await kpis('late', early)).stateSeconds.cell).toMatchObject({ running: 28_800, down: 0 });

    // Hours later: a stop inside the shift, out of order, part of it backfilled by a gateway; a late count.
    await send([
      stateAt('late', 'cell', '2026-02-16T09:30:00+01:00', 'running', { historical: true }),
      stateAt('late', 'cell', '2026-02-16T09:00:00+01:00', 'down', { reason: 'jam', historical: true }),
      countAt('late', 'cell', '2026-02-16T10:00:00+01:00', 10, 0, { historical: true }),
      stateAt('late', 'cell', '2026-02-16T05:30:00+01:00', 'changeover'),
    ]);
    const after = await kpis('late', early);
    expect(after.stateSeconds.cell).toMatchObject({ running: 27_000, down: 1800, changeover: 0 });
    expect(after.downtime).toEqual([{ reason: 'jam', seconds: 1800, count: 1 }]);
    expect(after.throughput).toMatchObject({ good: 110 });
    // A micro-stop landing late splits the afternoon: 60 s down is a performance loss, not availability.
    await send([
      stateAt('late', 'cell', '2026-02-16T12:01:00+01:00', 'running'),
      stateAt('late', 'cell', '2026-02-16T12:00:00+01:00', 'down', { reason: 'sensor fault' }),
    ]);
    const micro = await kpis('late', early);
    expect(micro.stateSeconds.cell).toMatchObject({ running: 26_940, down: 1860 });
    expect(micro.oee.availability).toBeCloseTo(27_000 / 28_800, 10);
    expect(micro.mtbfSeconds).toBe(27_000);
    expect(micro.downtime).toEqual([
      { reason: 'jam', seconds: 1800, count: 1 },
      { reason: 'sensor-fault', seconds: 60, count: 1 },
    ]);

    const timeline = (
      await server
        .get(
          `/api/v1/lines/late/timeline?from=${encodeURIComponent('2026-02-16T05:00:00+01:00')}&to=${encodeURIComponent('2026-02-16T14:00:00+01:00')}`,
        )
        .expect(200)
    ).body as LineTimeline;
    const t = (iso: string) => Date.parse(iso);
    expect(timeline.stations).toEqual([
      {
        station: 'cell',
        intervals: [
          {
            state: 'changeover',
            reason: null,
            start: t('2026-02-16T05:30:00+01:00'),
            end: t('2026-02-16T06:00:00+01:00'),
          },
          {
            state: 'running',
            reason: null,
            start: t('2026-02-16T06:00:00+01:00'),
            end: t('2026-02-16T09:00:00+01:00'),
          },
          { state: 'down', reason: 'jam', start: t('2026-02-16T09:00:00+01:00'), end: t('2026-02-16T09:30:00+01:00') },
          {
            state: 'running',
            reason: null,
            start: t('2026-02-16T09:30:00+01:00'),
            end: t('2026-02-16T12:00:00+01:00'),
          },
          {
            state: 'down',
            reason: 'sensor fault',
            start: t('2026-02-16T12:00:00+01:00'),
            end: t('2026-02-16T12:01:00+01:00'),
          },
          {
            state: 'running',
            reason: null,
            start: t('2026-02-16T12:01:00+01:00'),
            end: t('2026-02-16T14:00:00+01:00'),
          },
        ],
      },
    ]);
  });

  it.each([
    ['from=2026-02-10T06:00:00Z', 400, 'KPI_WINDOW_INVALID'],
    ['from=2026-02-10T06:00:00Z&to=2026-02-10T06:00:00Z', 400, 'KPI_WINDOW_EMPTY'],
    ['from=2026-02-10T07:00:00Z&to=2026-02-10T06:00:00Z', 400, 'KPI_WINDOW_EMPTY'],
    ['from=2026-01-01T00:00:00Z&to=2026-02-02T00:00:00Z', 400, 'KPI_WINDOW_TOO_LONG'],
    ['from=yesterday&to=2026-02-10T06:00:00Z', 400, 'VALIDATION_FAILED'],
    ['from=2026-02-10T06:00:00&to=2026-02-10T07:00:00', 400, 'VALIDATION_FAILED'],
    ['date=2026-02-30', 400, 'KPI_DATE_INVALID'],
    ['date=10.02.2026', 400, 'VALIDATION_FAILED'],
    ['shift=Early', 400, 'KPI_WINDOW_INVALID'],
    ['shift=Noon&date=2026-02-10', 404, 'SHIFT_NOT_FOUND'],
    ['', 400, 'KPI_WINDOW_INVALID'],
  ])('refuses ?%s with %i %s', async (query, status, code) => {
    const res = await server.get(`/api/v1/lines/iso/kpis?${query}`).expect(status);
    expect(res.body).toMatchObject({ statusCode: status, code });
  });

  it('answers 404 for an unknown line', async () => {
    const res = await server.get('/api/v1/lines/nope/timeline?from=2026-02-10T06:00:00Z&to=2026-02-10T07:00:00Z');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'LINE_NOT_FOUND' });
  });
});

/** The live metrics (current shift) are the same numbers after a restart rebuilt them from the database. */
describe('live metrics across a restart in the middle of a shift', () => {
  const { dataDir, schema, release } = restartableStorage('kpis');
  let server: TestServer | undefined;

  afterAll(() => release(server));

  it('serves throughput, OEE and bottleneck in /live and rebuilds the same numbers', async () => {
    server = await startTestServer({ plant: KPI_PLANT, dataDir, schema });
    let live = (await server.get('/api/v1/lines/restart/live').expect(200)).body as LineLive;
    // Too close to the end of the shift to finish inside it: wait for the next one.
    if (live.period!.end - Date.now() < 30_000) {
      await new Promise((r) => setTimeout(r, live.period!.end - Date.now() + 500));
      live = (await server.get('/api/v1/lines/restart/live').expect(200)).body as LineLive;
    }
    const p = live.period!.start;
    const elapsed = Date.now() - p;
    const at = (fraction: number) => Math.round(p + elapsed * fraction);
    await server
      .ingest({
        gatewayId: 'gw-kpi',
        events: [
          stateAt('restart', 'cell', p - 10 * MIN, 'running'),
          countAt('restart', 'cell', at(0.25), 30, 2),
          stateAt('restart', 'cell', at(0.5), 'down', { reason: 'jam' }),
          stateAt('restart', 'cell', at(0.75), 'running'),
          // A break the station reports as a stop with a planned reason (the catalogue's Break: excluded).
          stateAt('restart', 'cell', at(0.8), 'down', { reason: 'Break' }),
          stateAt('restart', 'cell', at(0.9), 'running'),
          countAt('restart', 'cell', Date.now() - 1000, 5),
        ],
      })
      .expect(200);
    const instant = Date.now() + 1000;
    const live0 = server.app.get(LiveStateService).snapshot('restart', instant)!;
    // The break left planned busy time; the jam, before anyone classified it, is an availability loss.
    const jamMs = at(0.75) - at(0.5);
    const breakMs = at(0.9) - at(0.8);
    const planned = instant - p - breakMs;
    const jamIsMicro = jamMs < KPI_PLANT.microStopSeconds! * 1000;
    expect(live0.oee!.availability).toBeCloseTo(jamIsMicro ? 1 : (planned - jamMs) / planned, 10);
    // A coordinator calls the jam a minor stop (a speed loss): nothing left costs availability.
    await request(server.httpUrl)
      .put(`/api/v1/stops/restart.cell.${at(0.5)}/reason`)
      .set('Authorization', `Bearer ${server.adminToken}`)
      .send({ reasonKey: 'minor-stop' })
      .expect(200);
    const before = server.app.get(LiveStateService).snapshot('restart', instant)!;
    expect(before.throughput).toMatchObject({ good: 35, scrap: 2, targetPerHour: 60 });
    expect(before.bottleneck).toMatchObject({ station: 'cell', kind: 'momentary', activeSince: p - 10 * MIN });
    expect(before.oee!.availability).toBeCloseTo(1, 10);
    expect(before.oee!.performance).toBeCloseTo(((35 + 2) * 60_000) / planned, 10);
    const rest = (await server.get('/api/v1/lines/restart/live').expect(200)).body as LineLive;
    expect(rest).toMatchObject({ period: live.period, throughput: { good: 35, scrap: 2 } });

    // The KPI endpoint over the same span agrees with the live figures.
    await new Promise((r) => setTimeout(r, Math.max(0, instant - Date.now() + 200)));
    const query = `from=${new Date(p).toISOString()}&to=${new Date(instant).toISOString()}`;
    const window = (await server.get(`/api/v1/lines/restart/kpis?${query}`).expect(200)).body as LineKpis;
    expect(window.oee.availability).toBeCloseTo(before.oee!.availability!, 10);
    expect(window.oee.oee).toBeCloseTo(before.oee!.oee!, 10);
    await server.close();

    server = await startTestServer({ plant: KPI_PLANT, dataDir, schema });
    const after = server.app.get(LiveStateService).snapshot('restart', instant)!;
    expect({ ...after, rev: 0 }).toEqual({ ...before, rev: 0 });
    expect((await server.get(`/api/v1/lines/restart/kpis?${query}`).expect(200)).body).toEqual(window);
  });
});
