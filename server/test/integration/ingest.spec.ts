import type { IngestResult, LineLive } from '@floorboard/shared';
import { dropTestSchema, startTestServer, type TestServer } from '../support/test-server.js';
import { stationEvent, TEST_PLANT } from '../support/fixtures.js';

describe('POST /api/v1/ingest/events', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ plant: TEST_PLANT });
  });
  afterAll(async () => {
    await dropTestSchema(server);
    await server.close();
  });

  const countRows = async (sql: string): Promise<number> => {
    const { DataSource } = await import('typeorm');
    const ds = server.app.get(DataSource);
    const [row] = (await ds.query(sql)) as [{ n: number }];
    return Number(row.n);
  };

  it('commits valid events and shows them in the live view', async () => {
    const since = Date.now() - 5000;
    const res = await server
      .ingest({ gatewayId: 'gw-test', events: [stationEvent({ seq: 1, ts: since, state: 'down', reason: 'jam' })] })
      .expect(200);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const live = (await server.get('/api/v1/lines/line-a/live').expect(200)).body as LineLive;
    expect(live.stations.map((s) => s.key)).toEqual(['first', 'middle', 'last']);
    expect(live.stations[1]).toMatchObject({ key: 'middle', state: 'down', since, reason: 'jam' });
    expect(live.stations[0]).toMatchObject({ key: 'first', state: 'offline' });
  });

  it('acknowledges and ignores duplicates by gatewayId+seq', async () => {
    const batch = {
      gatewayId: 'gw-test',
      events: [
        stationEvent({ seq: 10 }),
        stationEvent({ seq: 11, type: 'count', state: undefined, good: 4, scrap: 1 }),
      ],
    };
    expect((await server.ingest(batch).expect(200)).body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect((await server.ingest(batch).expect(200)).body).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(
      await countRows(`SELECT count(*) AS n FROM station_events WHERE gateway_id = 'gw-test' AND seq IN (10, 11)`),
    ).toBe(2);
    const live = (await server.get('/api/v1/lines/line-a/live').expect(200)).body as LineLive;
    expect(live.stations[1]).toMatchObject({ good: 4, scrap: 1 });
  });

  it('rejects invalid events one by one into the dead-letter table and keeps the valid ones', async () => {
    const body = {
      gatewayId: 'gw-test',
      events: [
        stationEvent({ seq: 20 }),
        { ...stationEvent({ seq: 21 }), state: 'on-fire' },
        { ...stationEvent({ seq: 22 }), ts: 1_700_000_000 },
        { garbage: "'; DROP TABLE station_events; --" },
        stationEvent({ seq: 23, station: 'last', state: 'blocked' }),
      ],
    };
    const result = (await server.ingest(body).expect(200)).body as IngestResult;
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => [r.seq, r.code])).toEqual([
      [21, 'EVENT_INVALID'],
      [22, 'EVENT_INVALID'],
      [null, 'EVENT_INVALID'],
    ]);
    expect(result.rejected[0]!.message).toContain('state');
    expect(await countRows(`SELECT count(*) AS n FROM ingest_dead_letters WHERE gateway_id = 'gw-test'`)).toBe(3);
    expect(await countRows(`SELECT count(*) AS n FROM station_events WHERE seq IN (20, 23)`)).toBe(2);
    const metrics = (await server.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/floorboard_ingest_rejected_total\{code="EVENT_INVALID"\} 3/);
  });

  it.each([
    ['an array instead of an object', '[1, 2]'],
    ['events missing', JSON.stringify({ gatewayId: 'gw-test' })],
    ['events not an array', JSON.stringify({ gatewayId: 'gw-test', events: {} })],
    ['unknown envelope field', JSON.stringify({ gatewayId: 'gw-test', events: [], sneaky: 1 })],
  ])('answers 400 INGEST_BODY_INVALID for a malformed envelope (%s) and changes nothing', async (_name, raw) => {
    const before = await countRows(`SELECT count(*) AS n FROM station_events`);
    const res = await server.ingest(undefined).set('Content-Type', 'application/json').send(raw).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'INGEST_BODY_INVALID' });
    expect(await countRows(`SELECT count(*) AS n FROM station_events`)).toBe(before);
  });

  it('answers 400 BODY_MALFORMED_JSON for broken JSON', async () => {
    const res = await server
      .ingest(undefined)
      .set('Content-Type', 'application/json')
      .send('{"gatewayId": ')
      .expect(400);
    expect(res.body).toMatchObject({ code: 'BODY_MALFORMED_JSON' });
  });

  it('answers 413 for an oversized body', async () => {
    const huge = { gatewayId: 'gw-test', events: [{ pad: 'x'.repeat(5 * 1024 * 1024) }] };
    const res = await server.ingest(huge).expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('needs the ingest token: a user token or a wrong token is refused', async () => {
    const batch = { gatewayId: 'gw-test', events: [stationEvent()] };
    expect((await server.ingest(batch, 'wrong-token').expect(401)).body).toMatchObject({
      code: 'AUTH_INGEST_TOKEN_INVALID',
    });
    expect((await server.ingest(batch, server.adminToken).expect(401)).body).toMatchObject({
      code: 'AUTH_INGEST_TOKEN_INVALID',
    });
  });

  it('keeps events of stations missing from the plant file and lists them as unplaced', async () => {
    const res = await server
      .ingest({
        gatewayId: 'gw-test',
        events: [
          stationEvent({ seq: 40, line: 'line-z', station: 'mystery' }),
          stationEvent({ seq: 41, line: 'line-z', station: 'mystery' }),
        ],
      })
      .expect(200);
    expect(res.body).toMatchObject({ accepted: 2 });
    const unplaced = (await server.get('/api/v1/stations/unplaced').expect(200)).body as {
      line: string;
      station: string;
      eventCount: number;
    }[];
    expect(unplaced).toEqual([expect.objectContaining({ line: 'line-z', station: 'mystery', eventCount: 2 })]);
  });

  it('keeps the current state when a late event arrives for an earlier time', async () => {
    const now = Date.now();
    await server
      .ingest({
        gatewayId: 'gw-test',
        events: [stationEvent({ seq: 50, station: 'first', ts: now - 1000, state: 'running' })],
      })
      .expect(200);
    await server
      .ingest({
        gatewayId: 'gw-test',
        events: [stationEvent({ seq: 51, station: 'first', ts: now - 60_000, state: 'down' })],
      })
      .expect(200);
    const live = (await server.get('/api/v1/lines/line-a/live').expect(200)).body as LineLive;
    expect(live.stations[0]).toMatchObject({ state: 'running', since: now - 1000 });
  });
});
