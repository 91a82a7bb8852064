import { GATEWAY_ONLINE_WINDOW_MS, type GatewayHeartbeat, type GatewayStatus } from '@floorboard/shared';
import request from 'supertest';
import { GatewaysService } from '../../src/modules/gateways/gateways.service.js';
import { dropTestSchema, INGEST_TOKEN, startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_PLANT } from '../support/fixtures.js';
import { signInEveryRole } from '../support/users.js';

const heartbeat = (overrides: Partial<GatewayHeartbeat> = {}): GatewayHeartbeat => ({
  gatewayId: 'gw-hall-1',
  version: '0.1.0',
  inputs: [{ name: 'native', topicFilters: ['floorboard/v1/#'], messages: 120, decodeErrors: 3 }],
  outboxDepth: 42,
  oldestAgeSeconds: 1.5,
  dropped: 0,
  lastAckAt: Date.now() - 1000,
  reconnects: 2,
  rebirths: 1,
  mqttConnected: true,
  ...overrides,
});

describe('gateways: heartbeat in, status list out', () => {
  let server: TestServer;
  let tokens: Awaited<ReturnType<typeof signInEveryRole>>;

  beforeAll(async () => {
    server = await startTestServer({ plant: TEST_PLANT });
    tokens = await signInEveryRole(server, 'gw');
  });
  afterAll(async () => {
    await dropTestSchema(server);
    await server.close();
  });

  const post = (body: unknown, token: string | null = INGEST_TOKEN) => {
    const req = request(server.httpUrl).post('/api/v1/gateways/heartbeat');
    if (token) req.set('Authorization', `Bearer ${token}`);
    return typeof body === 'string' ? req.set('Content-Type', 'application/json').send(body) : req.send(body as object);
  };
  const list = async (token = server.adminToken) =>
    (await server.get('/api/v1/gateways', token).expect(200)).body as GatewayStatus[];
  const errorCount = async (code: string) => {
    const text = (await request(server.httpUrl).get('/metrics').expect(200)).text;
    const m = new RegExp(`^floorboard_http_errors_total\\{code="${code}",status="400"\\} (\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };

  it('records a valid heartbeat and lists the gateway as online with its figures', async () => {
    expect((await post(heartbeat()).expect(200)).body).toEqual({ ok: true });
    const [gw] = (await list()).filter((g) => g.gatewayId === 'gw-hall-1');
    expect(gw).toMatchObject({
      gatewayId: 'gw-hall-1',
      status: 'online',
      outboxDepth: 42,
      oldestAgeSeconds: 1.5,
      lagSeconds: 1.5,
      dropped: 0,
      reconnects: 2,
      rebirths: 1,
      mqttConnected: true,
      inputs: [{ name: 'native', messages: 120, decodeErrors: 3 }],
    });
    expect(gw!.lastSeenAgoSeconds).toBeLessThan(5);
    // A later heartbeat replaces the figures (one row per gateway).
    await post(heartbeat({ outboxDepth: 0, oldestAgeSeconds: null, dropped: 7 })).expect(200);
    const again = (await list()).filter((g) => g.gatewayId === 'gw-hall-1');
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ outboxDepth: 0, oldestAgeSeconds: null, lagSeconds: 0, dropped: 7 });
  });

  it.each([
    ['not JSON', '{"gatewayId": '],
    ['an array', [1, 2]],
    ['gatewayId missing', (({ gatewayId: _, ...rest }) => rest)(heartbeat())],
    ['a negative outbox depth', heartbeat({ outboxDepth: -1 })],
    ['a fractional dropped count', heartbeat({ dropped: 1.5 })],
    ['an unknown field', { ...heartbeat(), secret: 'x' }],
    ['mqttConnected as a string', { ...heartbeat(), mqttConnected: 'yes' }],
    ['a gateway id of 129 characters', heartbeat({ gatewayId: 'g'.repeat(129) })],
  ] as const)('rejects %s with 400 and a code, and counts it', async (_name, body) => {
    const res = await post(body).expect(400);
    const code = (res.body as { code: string }).code;
    expect(code).toMatch(/^[A-Z_]+$/);
    if (typeof body !== 'string') expect(code).toBe('GATEWAY_HEARTBEAT_INVALID');
    expect(await errorCount(code)).toBeGreaterThan(0);
  });

  it('counts each rejected heartbeat', async () => {
    const before = await errorCount('GATEWAY_HEARTBEAT_INVALID');
    await post(heartbeat({ reconnects: -5 })).expect(400);
    await post({ gatewayId: 'x' }).expect(400);
    expect(await errorCount('GATEWAY_HEARTBEAT_INVALID')).toBe(before + 2);
    // Nothing of the rejected bodies was stored.
    expect((await list()).map((g) => g.gatewayId)).not.toContain('x');
  });

  it(`shows a gateway as offline once its last heartbeat is older than ${GATEWAY_ONLINE_WINDOW_MS / 1000} s`, async () => {
    const service = server.app.get(GatewaysService);
    const now = Date.now();
    await service.recordHeartbeat(
      heartbeat({ gatewayId: 'gw-stale' }),
      new Date(now - GATEWAY_ONLINE_WINDOW_MS - 1000),
    );
    await service.recordHeartbeat(heartbeat({ gatewayId: 'gw-edge' }), new Date(now - GATEWAY_ONLINE_WINDOW_MS + 5000));
    const byId = new Map((await list()).map((g) => [g.gatewayId, g]));
    expect(byId.get('gw-stale')).toMatchObject({ status: 'offline' });
    expect(byId.get('gw-stale')!.lastSeenAgoSeconds).toBeGreaterThanOrEqual(31);
    expect(byId.get('gw-edge')).toMatchObject({ status: 'online' });
    // The same rows, judged 10 s later (time injected): both are offline now.
    const later = new Map((await service.list(now + 10_000)).map((g) => [g.gatewayId, g.status]));
    expect(later.get('gw-edge')).toBe('offline');
    // A fresh heartbeat brings it back.
    await post(heartbeat({ gatewayId: 'gw-stale' })).expect(200);
    expect((await list()).find((g) => g.gatewayId === 'gw-stale')).toMatchObject({ status: 'online' });
  });

  it('takes heartbeats only with the ingest token', async () => {
    const before = (await list()).length;
    await post(heartbeat({ gatewayId: 'gw-no-token' }), null).expect(401);
    await post(heartbeat({ gatewayId: 'gw-bad-token' }), 'not-a-token').expect(401);
    for (const role of ['viewer', 'manager', 'admin'] as const) {
      const res = await post(heartbeat({ gatewayId: `gw-as-${role}` }), tokens[role]);
      expect([401, 403]).toContain(res.status);
      expect((res.body as { code: string }).code).toMatch(/^AUTH_/);
    }
    expect((await list()).length).toBe(before);
  });

  it('lists gateways for signed-in people (viewer and up), not for the ingest token or anonymous callers', async () => {
    expect((await list(tokens.viewer)).length).toBeGreaterThan(0);
    const anonymous = await request(server.httpUrl).get('/api/v1/gateways');
    expect(anonymous.status).toBe(401);
    const ingest = await server.get('/api/v1/gateways', INGEST_TOKEN);
    expect([401, 403]).toContain(ingest.status);
  });
});
