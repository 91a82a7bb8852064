import type { LineThroughputTrend, LineTimeline, PlantFile } from '@floorboard/shared';
import { dropTestSchema, startTestServer, type TestServer } from '../support/test-server.js';
import { countAt, stateAt } from '../support/kpi-fixtures.js';

const MIN = 60_000;

/** Output station `last`; 30 s ideal cycle time → target 120 units/h. */
const TREND_PLANT: PlantFile = {
  timezone: 'Europe/Berlin',
  productionDayStart: '06:00',
  microStopSeconds: 120,
  shifts: [
    { name: 'Early', start: '06:00', end: '14:00' },
    { name: 'Late', start: '14:00', end: '22:00' },
    { name: 'Night', start: '22:00', end: '06:00' },
  ],
  lines: [
    {
      key: 'trend',
      name: 'Trend',
      site: 'plant-k',
      idealCycleTimeSec: 30,
      stations: [
        { key: 'first', name: 'First', idealCycleTimeSec: 25 },
        { key: 'last', name: 'Last', idealCycleTimeSec: 30 },
      ],
    },
  ],
};

/**
 * `GET /lines/{lineKey}/throughput`, hand-computed: counts fed through the real ingest endpoint land in
 * `production_minutes` and come back per bucket (plant timezone Europe/Berlin, 2 March 2026 is UTC+1).
 */
describe('line throughput trend', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ plant: TREND_PLANT });
    const events = [
      countAt('trend', 'last', '2026-03-02T05:59:30+01:00', 99), // before the Early shift and the production day
      countAt('trend', 'last', '2026-03-02T06:00:10+01:00', 30, 2),
      countAt('trend', 'last', '2026-03-02T06:59:59+01:00', 30),
      countAt('trend', 'last', '2026-03-02T07:00:00+01:00', 45),
      countAt('trend', 'first', '2026-03-02T07:10:00+01:00', 500), // not the output station
      countAt('trend', 'last', '2026-03-02T13:30:00+01:00', 10, 1),
      countAt('trend', 'last', '2026-03-02T14:00:00+01:00', 77), // first minute of the Late shift
    ];
    const res = await server.ingest({ gatewayId: 'gw-kpi', events }).expect(200);
    expect(res.body).toMatchObject({ accepted: events.length, rejected: [] });
  });
  afterAll(async () => {
    await dropTestSchema(server);
    await server.close();
  });

  const trend = async (query: string) =>
    (await server.get(`/api/v1/lines/trend/throughput?${query}`).expect(200)).body as LineThroughputTrend;
  const at = (iso: string) => Date.parse(iso);

  it('sums the output station per hour over a shift, zeros where nothing was counted', async () => {
    const result = await trend('shift=Early&date=2026-03-02&bucketMinutes=60');
    expect(result).toMatchObject({
      line: 'trend',
      from: '2026-03-02T05:00:00.000Z',
      to: '2026-03-02T13:00:00.000Z',
      analysedTo: '2026-03-02T13:00:00.000Z',
      shift: 'Early',
      date: '2026-03-02',
      outputStation: 'last',
      bucketMinutes: 60,
      targetPerHour: 120,
    });
    expect(result.buckets.map((b) => [b.good, b.scrap, b.unitsPerHour])).toEqual([
      [60, 2, 60],
      [45, 0, 45],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [10, 1, 10],
    ]);
    expect(result.buckets[0]).toMatchObject({
      start: at('2026-03-02T06:00:00+01:00'),
      end: at('2026-03-02T07:00:00+01:00'),
    });
    expect(result.buckets[7]!.end).toBe(at('2026-03-02T14:00:00+01:00'));
  });

  it('cuts the last bucket at the window end and rates it over its real length', async () => {
    const window = new URLSearchParams({ from: '2026-03-02T06:00:00+01:00', to: '2026-03-02T14:00:00+01:00' });
    const result = await trend(`${window.toString()}&bucketMinutes=45`);
    expect(result.buckets).toHaveLength(11);
    // 06:00–06:45: 30 good in 45 min → 40/h; 06:45–07:30: 30 + 45 → 100/h.
    expect(result.buckets[0]).toMatchObject({ good: 30, scrap: 2, unitsPerHour: 40 });
    expect(result.buckets[1]).toMatchObject({ good: 75, scrap: 0, unitsPerHour: 100 });
    // 13:30–14:00 (30 min): 10 good → 20/h.
    expect(result.buckets[10]).toMatchObject({
      start: at('2026-03-02T13:30:00+01:00'),
      end: at('2026-03-02T14:00:00+01:00'),
      good: 10,
      unitsPerHour: 20,
    });
    expect(result.shift).toBeNull();
  });

  it('picks a bucket length giving at most 200 buckets when none is asked for', async () => {
    const shift = await trend('shift=Early&date=2026-03-02');
    expect(shift.bucketMinutes).toBe(5);
    expect(shift.buckets).toHaveLength(96);
    expect(shift.buckets.reduce((n, b) => n + b.good, 0)).toBe(115); // 30 + 30 + 45 + 10
    const day = await trend('date=2026-03-02');
    expect(day.bucketMinutes).toBe(15);
    expect(day.buckets).toHaveLength(96);
    // 06:00 of the 2nd to 06:00 of the 3rd: everything but the 05:59 count (the shift's 115 + 77 at 14:00).
    expect(day.buckets.reduce((n, b) => [n[0]! + b.good, n[1]! + b.scrap], [0, 0])).toEqual([192, 3]);
  });

  it('ends the buckets at the server clock while the window is running', async () => {
    const from = Math.floor(Date.now() / MIN) * MIN - 90 * MIN;
    const res = await server.ingest({ gatewayId: 'gw-kpi', events: [countAt('trend', 'last', from + MIN, 12)] });
    expect(res.status).toBe(200);
    const result = await trend(
      `from=${new Date(from).toISOString()}&to=${new Date(from + 150 * MIN).toISOString()}&bucketMinutes=60`,
    );
    expect(result.buckets).toHaveLength(2);
    expect(result.buckets[0]).toMatchObject({ good: 12, unitsPerHour: 12 });
    expect(result.buckets[1]!.end).toBe(Date.parse(result.analysedTo));
    expect(Date.parse(result.to) - Date.parse(result.analysedTo)).toBeGreaterThan(0);
  });

  it.each([
    ['date=2026-03-02&bucketMinutes=0', 400, 'THROUGHPUT_BUCKET_INVALID'],
    ['date=2026-03-02&bucketMinutes=1441', 400, 'THROUGHPUT_BUCKET_INVALID'],
    ['date=2026-03-02&bucketMinutes=1.5', 400, 'VALIDATION_FAILED'],
    ['date=2026-03-02&bucketMinutes=-5', 400, 'VALIDATION_FAILED'],
    ['date=2026-03-02&bucketMinutes=99999', 400, 'VALIDATION_FAILED'],
    ['from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z&bucketMinutes=1', 400, 'THROUGHPUT_TOO_MANY_BUCKETS'],
    ['from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 400, 'KPI_WINDOW_TOO_LONG'],
    ['bucketMinutes=15', 400, 'KPI_WINDOW_INVALID'],
    ['shift=Noon&date=2026-03-02', 404, 'SHIFT_NOT_FOUND'],
  ])('refuses ?%s with %i %s', async (query, status, code) => {
    const res = await server.get(`/api/v1/lines/trend/throughput?${query}`).expect(status);
    expect(res.body).toMatchObject({ statusCode: status, code });
  });

  it('answers 404 for an unknown line', async () => {
    const res = await server.get('/api/v1/lines/nope/throughput?date=2026-03-02');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'LINE_NOT_FOUND' });
  });
});

/** `GET /lines/{lineKey}/timeline?resolutionMs`: intervals shorter than the resolution merged on the server. */
describe('line timeline at a resolution', () => {
  let server: TestServer;
  const t0 = Date.parse('2026-03-03T06:00:00+01:00');
  const window = `from=${new Date(t0).toISOString()}&to=${new Date(t0 + 10 * MIN).toISOString()}`;

  beforeAll(async () => {
    server = await startTestServer({ plant: TREND_PLANT });
    // `first` alternates running / starved every 30 s for 10 minutes: 20 intervals.
    const events = Array.from({ length: 20 }, (_, i) =>
      stateAt('trend', 'first', t0 + i * 30_000, i % 2 === 0 ? 'running' : 'starved'),
    );
    events.push(stateAt('trend', 'first', t0 + 10 * MIN, 'break'));
    const res = await server.ingest({ gatewayId: 'gw-kpi', events }).expect(200);
    expect(res.body).toMatchObject({ accepted: events.length, rejected: [] });
  });
  afterAll(async () => {
    await dropTestSchema(server);
    await server.close();
  });

  const timeline = async (query: string) =>
    (await server.get(`/api/v1/lines/trend/timeline?${query}`).expect(200)).body as LineTimeline;

  it('answers every stored interval without a resolution', async () => {
    const first = (await timeline(window)).stations.find((s) => s.station === 'first')!;
    expect(first.intervals).toHaveLength(20);
    expect(first.intervals[1]).toEqual({ state: 'starved', reason: null, start: t0 + 30_000, end: t0 + 60_000 });
  });

  it('merges groups of at least the resolution into their dominant state, counting what each stands for', async () => {
    // 2 min groups hold 60 s running and 60 s starved: the tie goes to running, seen first; the groups join.
    const coarse = (await timeline(`${window}&resolutionMs=120000`)).stations.find((s) => s.station === 'first')!;
    expect(coarse.intervals).toEqual([{ state: 'running', reason: null, start: t0, end: t0 + 10 * MIN, merged: 20 }]);
    // 30 s resolution: every interval is long enough and stays as it is.
    const fine = (await timeline(`${window}&resolutionMs=30000`)).stations.find((s) => s.station === 'first')!;
    expect(fine.intervals).toHaveLength(20);
    expect(fine.intervals.every((i) => i.merged === 1)).toBe(true);
  });

  it.each([
    ['resolutionMs=999', 400, 'TIMELINE_RESOLUTION_INVALID'],
    ['resolutionMs=0', 400, 'TIMELINE_RESOLUTION_INVALID'],
    ['resolutionMs=1.5', 400, 'VALIDATION_FAILED'],
    ['resolutionMs=-1000', 400, 'VALIDATION_FAILED'],
  ])('refuses ?%s with %i %s', async (query, status, code) => {
    const res = await server.get(`/api/v1/lines/trend/timeline?${window}&${query}`).expect(status);
    expect(res.body).toMatchObject({ statusCode: status, code });
  });
});
