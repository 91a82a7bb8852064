import request from 'supertest';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import type {
  Alert,
  AlertEventPayload,
  AndonRule,
  ClientToServerEvents,
  LineSnapshotPayload,
  Role,
  ServerToClientEvents,
} from '@floorboard/shared';
import { AndonService } from '../../src/modules/andon/andon.service.js';
import { dropTestSchema, INGEST_TOKEN, startTestServer, type TestServer } from '../support/test-server.js';
import { stationEvent, TEST_PLANT } from '../support/fixtures.js';
import { signInEveryRole } from '../support/users.js';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;
type AlertEvent = 'alert:raised' | 'alert:cleared' | 'alert:acknowledged';

describe('andon rules and alerts', () => {
  let server: TestServer;
  let tokens: Record<Role, string>;
  let socket: LiveClient;
  let snapshotRev: number;
  const received: { event: AlertEvent; payload: AlertEventPayload }[] = [];
  const api = () => request(server.httpUrl);

  /** Resolves with the first pushed alert event matching, already received or still to come (8 s at most). */
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
  const setRules = (rules: Partial<AndonRule>[], role: Role = 'manager') =>
    api().put('/api/v1/andon/rules').set('Authorization', `Bearer ${tokens[role]}`).send({ rules });
  const alerts = async (query: string) =>
    (await server.get(`/api/v1/alerts${query}`, tokens.viewer).expect(200)).body as Alert[];
  const heartbeat = (gatewayId: string) =>
    api()
      .post('/api/v1/gateways/heartbeat')
      .set('Authorization', `Bearer ${INGEST_TOKEN}`)
      .send({
        gatewayId,
        version: '0.1.0',
        inputs: [],
        outboxDepth: 0,
        oldestAgeSeconds: null,
        dropped: 0,
        lastAckAt: null,
        reconnects: 0,
        rebirths: 0,
        mqttConnected: true,
      })
      .expect(200);

  beforeAll(async () => {
    server = await startTestServer({ plant: TEST_PLANT });
    tokens = await signInEveryRole(server, 'andon');
    socket = io(`${server.httpUrl}/live`, {
      auth: { token: tokens.viewer },
      transports: ['websocket'],
      reconnection: false,
    });
    for (const event of ['alert:raised', 'alert:cleared', 'alert:acknowledged'] as const) {
      socket.on(event, (payload) => received.push({ event, payload }));
    }
    const snapshot = new Promise<LineSnapshotPayload>((resolve) => socket.once('line:snapshot', resolve));
    expect(await socket.emitWithAck('subscribe', { lines: ['line-a'] })).toMatchObject({ ok: true });
    snapshotRev = (await snapshot).rev;
  });
  afterAll(async () => {
    socket.disconnect();
    await dropTestSchema(server);
    await server.close();
  });

  it('serves the default rules to managers and changes them, audited', async () => {
    const res = await server.get('/api/v1/andon/rules', tokens.manager).expect(200);
    expect(res.body).toEqual([
      { kind: 'station-down', enabled: true, thresholdSeconds: 300 },
      { kind: 'station-offline', enabled: true, thresholdSeconds: 600 },
      { kind: 'gateway-offline', enabled: true, thresholdSeconds: 60 },
      { kind: 'line-below-target', enabled: true, thresholdSeconds: 0, thresholdPercent: 80 },
      { kind: 'bottleneck-moved', enabled: true, thresholdSeconds: 300 },
    ]);
    await server.get('/api/v1/andon/rules', tokens.coordinator).expect(403);
    await setRules([{ kind: 'station-down', thresholdSeconds: 60 }], 'coordinator').expect(403);
    const updated = await setRules([{ kind: 'station-down', thresholdSeconds: 60 }]).expect(200);
    expect((updated.body as AndonRule[])[0]).toEqual({ kind: 'station-down', enabled: true, thresholdSeconds: 60 });
    const [row] = (await server.app
      .get(DataSource)
      .query(`SELECT actor, after FROM audit_log WHERE action = 'andon-rules.updated'`)) as {
      actor: string;
      after: AndonRule[];
    }[];
    expect(row).toMatchObject({ actor: 'andon-manager' });
    expect(row!.after[0]).toEqual({ kind: 'station-down', enabled: true, thresholdSeconds: 60 });
    for (const body of [
      { rules: [{ kind: 'line-on-fire' }] },
      { rules: [{ kind: 'station-down', thresholdSeconds: -1 }] },
      { rules: [{ kind: 'station-down', thresholdPercent: 50 }] },
    ]) {
      const bad = await api().put('/api/v1/andon/rules').set('Authorization', `Bearer ${tokens.manager}`).send(body);
      expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('raises an alert for a long stop, pushes it, lets a coordinator acknowledge it and clears it on running', async () => {
    const since = Date.now() - 5 * 60_000;
    await server
      .ingest({
        gatewayId: 'gw-andon',
        events: [stationEvent({ gatewayId: 'gw-andon', station: 'last', ts: since, state: 'down', reason: 'jam' })],
      })
      .expect(200);
    const raised = await pushed('alert:raised', (a) => a.station === 'last');
    expect(raised).toMatchObject({
      line: 'line-a',
      alert: { rule: 'station-down', lines: ['line-a'], station: 'last' },
    });
    expect(raised.rev).toBeGreaterThan(snapshotRev);
    expect(raised.alert.since).toBe(new Date(since).toISOString());
    expect(raised.alert.message).toContain('jam');
    const id = raised.alert.id;
    expect((await alerts('?state=open&line=line-a')).map((a) => a.id)).toEqual([id]);

    await api().post(`/api/v1/alerts/${id}/ack`).set('Authorization', `Bearer ${tokens.viewer}`).expect(403);
    const ack = await api()
      .post(`/api/v1/alerts/${id}/ack`)
      .set('Authorization', `Bearer ${tokens.coordinator}`)
      .expect(200);
    expect(ack.body).toMatchObject({ id, acknowledgedBy: 'andon-coordinator', clearedAt: null });
    expect((await pushed('alert:acknowledged', (a) => a.id === id)).alert.acknowledgedBy).toBe('andon-coordinator');
    const again = await api().post(`/api/v1/alerts/${id}/ack`).set('Authorization', `Bearer ${tokens.coordinator}`);
    expect([again.status, again.body.code]).toEqual([409, 'ALERT_ALREADY_ACKNOWLEDGED']);
    const audit = (await server.app
      .get(DataSource)
      .query(`SELECT actor, entity_id FROM audit_log WHERE action = 'alert.acknowledged'`)) as unknown[];
    expect(audit).toEqual([{ actor: 'andon-coordinator', entity_id: id }]);

    // Still open after the acknowledgement: it closes when the station runs again.
    expect((await alerts('')).map((a) => a.id)).toContain(id);
    await server
      .ingest({
        gatewayId: 'gw-andon',
        events: [stationEvent({ gatewayId: 'gw-andon', station: 'last', state: 'running', ts: Date.now() })],
      })
      .expect(200);
    const cleared = await pushed('alert:cleared', (a) => a.id === id);
    expect(cleared.alert.clearedAt).not.toBeNull();
    expect(cleared.rev).toBeGreaterThan(raised.rev);
    expect((await alerts('?state=open')).map((a) => a.id)).not.toContain(id);
    expect((await alerts('?state=all&line=line-a')).find((a) => a.id === id)).toMatchObject({
      acknowledgedBy: 'andon-coordinator',
      clearedAt: cleared.alert.clearedAt,
    });
  });

  it('raises a stop alert from the periodic check once the threshold is reached', async () => {
    await setRules([{ kind: 'station-down', thresholdSeconds: 1 }]).expect(200);
    await server
      .ingest({
        gatewayId: 'gw-andon',
        events: [stationEvent({ gatewayId: 'gw-andon', station: 'first', state: 'down', ts: Date.now() })],
      })
      .expect(200);
    expect(received.some((r) => r.payload.alert.station === 'first')).toBe(false);
    const raised = await pushed('alert:raised', (a) => a.station === 'first');
    expect(raised.alert.rule).toBe('station-down');
  });

  it('never raises alerts from historical (backfilled) events', async () => {
    await server
      .ingest({
        gatewayId: 'gw-andon',
        events: [
          stationEvent({
            gatewayId: 'gw-andon',
            station: 'middle',
            state: 'down',
            ts: Date.now() - 3600_000,
            historical: true,
          }),
        ],
      })
      .expect(200);
    await server.app.get(AndonService).evaluate();
    expect((await alerts('')).filter((a) => a.station === 'middle')).toEqual([]);
  });

  it('raises a gateway alert when heartbeats stop, on the lines that gateway feeds, and clears it on the next one', async () => {
    await setRules([{ kind: 'gateway-offline', thresholdSeconds: 1 }]).expect(200);
    await heartbeat('gw-andon');
    const andon = server.app.get(AndonService);
    await andon.evaluate();
    expect((await alerts('')).filter((a) => a.rule === 'gateway-offline')).toEqual([]);
    await andon.evaluate(Date.now() + 1500);
    const raised = await pushed('alert:raised', (a) => a.rule === 'gateway-offline');
    expect(raised.alert).toMatchObject({ gatewayId: 'gw-andon', lines: ['line-a'], station: null });
    await heartbeat('gw-andon');
    await andon.evaluate();
    await pushed('alert:cleared', (a) => a.id === raised.alert.id);
  });

  it('refuses bad alert queries and unknown alerts', async () => {
    expect((await server.get('/api/v1/alerts?state=closed', tokens.viewer)).status).toBe(400);
    expect((await server.get('/api/v1/alerts?line=no-such-line', tokens.viewer)).status).toBe(404);
    const res = await api()
      .post('/api/v1/alerts/00000000-0000-4000-8000-000000000000/ack')
      .set('Authorization', `Bearer ${tokens.coordinator}`);
    expect([res.status, res.body.code]).toEqual([404, 'ALERT_NOT_FOUND']);
  });
});
