import request from 'supertest';
import type { LineSummary } from '@floorboard/shared';
import { dropTestSchema, startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_PLANT } from '../support/fixtures.js';
import { createToken, signInEveryRole } from '../support/users.js';

describe('REST essentials, health and docs', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ plant: TEST_PLANT });
  });
  afterAll(async () => {
    await dropTestSchema(server);
    await server.close();
  });

  it('reports liveness and readiness with database and broker checked', async () => {
    await request(server.httpUrl).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(server.httpUrl).get('/health/ready');
    // The server's broker client connects asynchronously; readiness follows within moments.
    for (let i = 0; i < 50 && ready.status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    const settled = await request(server.httpUrl).get('/health/ready').expect(200);
    expect(settled.body).toEqual({ status: 'ok', checks: { database: 'up', broker: 'up' } });
  });

  it('lists lines with stations in flow order', async () => {
    const lines = (await server.get('/api/v1/lines').expect(200)).body as LineSummary[];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ key: 'line-a', name: 'Line A', site: 'plant-t', idealCycleTimeSec: 30 });
    expect(lines[0]!.stations.map((s) => [s.key, s.position])).toEqual([
      ['first', 0],
      ['middle', 1],
      ['last', 2],
    ]);
    expect((await server.get('/api/v1/lines/line-a').expect(200)).body).toEqual(lines[0]);
  });

  it('serves the plant calendar to a viewer and a wall display, without the topology', async () => {
    const { viewer } = await signInEveryRole(server, 'calendar');
    const display = (await createToken(server, 'display', 'calendar wall')).token;
    const expected = {
      timezone: 'Europe/Berlin',
      productionDayStart: '06:00',
      shifts: [{ name: 'Early', start: '06:00', end: '14:00' }],
    };
    expect((await server.get('/api/v1/plant/calendar', viewer).expect(200)).body).toEqual(expected);
    expect((await server.get('/api/v1/plant/calendar', display).expect(200)).body).toEqual(expected);
    expect((await server.get('/api/v1/plant', viewer).expect(403)).body).toMatchObject({ code: 'AUTH_ROLE_TOO_LOW' });
  });

  it('answers 404 with a code for an unknown line', async () => {
    expect((await server.get('/api/v1/lines/nope').expect(404)).body).toMatchObject({
      statusCode: 404,
      code: 'LINE_NOT_FOUND',
    });
    expect((await server.get('/api/v1/lines/nope/live').expect(404)).body).toMatchObject({ code: 'LINE_NOT_FOUND' });
  });

  it('refuses API calls without a valid access token', async () => {
    for (const path of ['/api/v1/lines', '/api/v1/lines/line-a/live', '/api/v1/auth/me', '/api/v1/stations/unplaced']) {
      const res = await request(server.httpUrl).get(path).expect(401);
      expect(res.body).toMatchObject({ code: 'AUTH_REQUIRED' });
    }
    await server.get('/api/v1/lines', 'forged.token.value').expect(401);
  });

  it('refuses a wrong password with a code, and validates the login body', async () => {
    const wrong = await request(server.httpUrl)
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: 'nope' })
      .expect(401);
    expect(wrong.body).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    const bad = await request(server.httpUrl)
      .post('/api/v1/auth/login')
      .send({ username: 42, extra: true })
      .expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  it('applies the same plant twice without duplicating anything (idempotent upsert)', async () => {
    const { PlantService } = await import('../../src/modules/lines/plant.service.js');
    await server.app.get(PlantService).apply(TEST_PLANT);
    const lines = (await server.get('/api/v1/lines').expect(200)).body as LineSummary[];
    expect(lines).toHaveLength(1);
    expect(lines[0]!.stations).toHaveLength(3);
  });

  it('rejects an invalid plant through PUT /plant with 422 naming the field, counts it, and changes nothing', async () => {
    const broken = {
      ...TEST_PLANT,
      lines: [{ ...TEST_PLANT.lines[0]!, stations: [{ key: 'Bad Key', name: 'x', idealCycleTimeSec: -1 }] }],
    };
    const res = await request(server.httpUrl)
      .put('/api/v1/plant')
      .set('Authorization', `Bearer ${server.adminToken}`)
      .send(broken)
      .expect(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'PLANT_INVALID' });
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^lines\[0\]\.stations\[0\]\.key: /),
        expect.stringMatching(/^lines\[0\]\.stations\[0\]\.idealCycleTimeSec: /),
      ]),
    );
    const metrics = (await request(server.httpUrl).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/floorboard_plant_file_errors_total\{code="PLANT_INVALID"\} 1/);
    const lines = (await server.get('/api/v1/lines').expect(200)).body as LineSummary[];
    expect(lines[0]!.stations.map((s) => s.key)).toEqual(['first', 'middle', 'last']);
  });

  it('applies a changed plant through PUT /plant and serves the new line live', async () => {
    const grown = {
      ...TEST_PLANT,
      lines: [
        ...TEST_PLANT.lines,
        {
          key: 'line-b',
          name: 'Line B',
          site: 'plant-t',
          idealCycleTimeSec: 10,
          stations: [{ key: 'solo', name: 'Solo', idealCycleTimeSec: 10 }],
        },
      ],
    };
    const res = await request(server.httpUrl)
      .put('/api/v1/plant')
      .set('Authorization', `Bearer ${server.adminToken}`)
      .send(grown)
      .expect(200);
    expect(res.body).toEqual({ lines: 2, stations: 4 });
    expect((await server.get('/api/v1/lines/line-b/live').expect(200)).body).toMatchObject({
      line: 'line-b',
      stations: [{ key: 'solo', state: 'offline' }],
    });
    expect((await server.get('/api/v1/plant').expect(200)).body).toMatchObject({
      timezone: 'Europe/Berlin',
      lines: [{ key: 'line-a' }, { key: 'line-b' }],
    });
  });

  it('serves the OpenAPI document and Prometheus metrics', async () => {
    const doc = await request(server.httpUrl).get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths as object)).toEqual(
      expect.arrayContaining([
        '/api/v1/lines',
        '/api/v1/lines/{lineKey}/live',
        '/api/v1/ingest/events',
        '/api/v1/auth/login',
      ]),
    );
    const metrics = await request(server.httpUrl).get('/metrics').expect(200);
    expect(metrics.text).toContain('floorboard_server_process_cpu_seconds_total');
    expect(metrics.text).toMatch(/floorboard_http_errors_total\{code="LINE_NOT_FOUND",status="404"\} \d+/);
  });
});
