import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role, Stop, StopReason } from '@floorboard/shared';
import { dropTestSchema, startTestServer, type TestServer } from '../support/test-server.js';
import { stationEvent, TEST_PLANT } from '../support/fixtures.js';
import { signInEveryRole } from '../support/users.js';

const S = 1000;

describe('stop reasons and stop classification', () => {
  let server: TestServer;
  let tokens: Record<Role, string>;
  // Whole seconds, two hours ago: the stops below lie between T0 and T0 + 900 s.
  const T0 = Math.floor((Date.now() - 2 * 3600 * S) / S) * S;
  const iso = (ms: number) => new Date(ms).toISOString();
  const api = () => request(server.httpUrl);
  const stops = async (query = '') =>
    (
      await server
        .get(`/api/v1/lines/line-a/stops?from=${iso(T0)}&to=${iso(Date.now() + 60 * S)}${query}`, tokens.viewer)
        .expect(200)
    ).body as Stop[];
  const auditRows = async (action: string) =>
    (await server.app
      .get(DataSource)
      .query(`SELECT actor, role, entity_id, before, after FROM audit_log WHERE action = $1 ORDER BY id`, [
        action,
      ])) as { actor: string; role: string; entity_id: string; before: unknown; after: unknown }[];

  beforeAll(async () => {
    server = await startTestServer({ plant: TEST_PLANT });
    tokens = await signInEveryRole(server, 'stops');
    await server
      .ingest({
        gatewayId: 'gw-stops',
        events: [
          stationEvent({ gatewayId: 'gw-stops', ts: T0, state: 'running' }),
          stationEvent({ gatewayId: 'gw-stops', ts: T0 + 60 * S, state: 'down', reason: 'Jam' }),
          stationEvent({ gatewayId: 'gw-stops', ts: T0 + 360 * S, state: 'running' }),
          stationEvent({ gatewayId: 'gw-stops', ts: T0 + 400 * S, state: 'down', reason: 'hydraulic leak' }),
          // A repeat with the same text continues the stop.
          stationEvent({ gatewayId: 'gw-stops', ts: T0 + 500 * S, state: 'down', reason: 'hydraulic leak' }),
          stationEvent({ gatewayId: 'gw-stops', ts: T0 + 700 * S, state: 'running' }),
          stationEvent({ gatewayId: 'gw-stops', ts: T0 + 800 * S, state: 'changeover', reason: 'MOTOR_FAULT' }),
          stationEvent({ gatewayId: 'gw-stops', station: 'first', ts: T0 + 100 * S, state: 'down' }),
          stationEvent({ gatewayId: 'gw-stops', station: 'first', ts: T0 + 130 * S, state: 'idle' }),
        ],
      })
      .expect(200);
  });
  afterAll(async () => {
    await dropTestSchema(server);
    await server.close();
  });

  it('serves the seeded reason catalogue as a tree of keys, categories and OEE buckets', async () => {
    const reasons = (await server.get('/api/v1/reasons', tokens.viewer).expect(200)).body as StopReason[];
    const byKey = new Map(reasons.map((r) => [r.key, r]));
    expect(byKey.get('jam')).toEqual({
      key: 'jam',
      name: 'Jam',
      parent: 'mechanical',
      category: 'unplanned',
      oeeBucket: 'availability',
    });
    expect(byKey.get('mechanical')?.parent).toBeNull();
    expect(byKey.get('changeover')?.category).toBe('planned');
    expect(byKey.get('break')?.oeeBucket).toBe('excluded');
    for (const r of reasons) if (r.parent !== null) expect(byKey.has(r.parent)).toBe(true);
  });

  it('lists stops built from the ingested events, with reasons from the station text', async () => {
    const list = await stops();
    expect(
      list.map((s) => [s.station, s.state, s.start, s.end, s.seconds, s.reason, s.reasonSource, s.stationReason]),
    ).toEqual([
      ['middle', 'down', iso(T0 + 60 * S), iso(T0 + 360 * S), 300, 'jam', 'station', 'Jam'],
      ['first', 'down', iso(T0 + 100 * S), iso(T0 + 130 * S), 30, null, null, null],
      ['middle', 'down', iso(T0 + 400 * S), iso(T0 + 700 * S), 300, null, null, 'hydraulic leak'],
      ['middle', 'changeover', iso(T0 + 800 * S), null, expect.any(Number), 'motor-fault', 'station', 'MOTOR_FAULT'],
    ]);
    expect(list[0]!.id).toBe(`line-a.middle.${T0 + 60 * S}`);
    expect(list[3]!.seconds).toBeGreaterThan(6000);
    // Nobody has classified anything yet: a station's reason names no person.
    expect(list.map((s) => [s.classifiedBy, s.classifiedAt])).toEqual(list.map(() => [null, null]));

    const unclassified = await stops('&unclassified=true');
    expect(unclassified.map((s) => s.id)).toEqual([list[1]!.id, list[2]!.id]);
  });

  it('keeps a stop crossing the window edges whole', async () => {
    const res = await server
      .get(`/api/v1/lines/line-a/stops?from=${iso(T0 + 200 * S)}&to=${iso(T0 + 450 * S)}`, tokens.viewer)
      .expect(200);
    expect((res.body as Stop[]).map((s) => [s.start, s.end])).toEqual([
      [iso(T0 + 60 * S), iso(T0 + 360 * S)],
      [iso(T0 + 400 * S), iso(T0 + 700 * S)],
    ]);
  });

  it('lets a coordinator classify an unclassified stop, saying who and when, audited; viewers may not', async () => {
    const id = `line-a.middle.${T0 + 400 * S}`;
    await api()
      .put(`/api/v1/stops/${id}/reason`)
      .set('Authorization', `Bearer ${tokens.viewer}`)
      .send({ reasonKey: 'jam' })
      .expect(403);
    const sent = Date.now();
    const res = await api()
      .put(`/api/v1/stops/${id}/reason`)
      .set('Authorization', `Bearer ${tokens.coordinator}`)
      .send({ reasonKey: 'no-material' })
      .expect(200);
    const answered = Date.now();
    const classified = res.body as Stop;
    expect(classified).toMatchObject({
      id,
      reason: 'no-material',
      reasonSource: 'coordinator',
      stationReason: 'hydraulic leak',
      classifiedBy: 'stops-coordinator',
    });
    // The database's clock, which may run a little apart from this process's: within a second of the request.
    expect(Date.parse(classified.classifiedAt!)).toBeGreaterThanOrEqual(sent - 1000);
    expect(Date.parse(classified.classifiedAt!)).toBeLessThanOrEqual(answered + 1000);
    const listed = (await stops()).find((s) => s.id === id);
    expect(listed).toMatchObject({
      reason: 'no-material',
      reasonSource: 'coordinator',
      classifiedBy: 'stops-coordinator',
      classifiedAt: classified.classifiedAt,
    });
    expect((await stops('&unclassified=true')).map((s) => s.id)).not.toContain(id);
    expect(await auditRows('stop.classified')).toEqual([
      {
        actor: 'stops-coordinator',
        role: 'coordinator',
        entity_id: id,
        before: { reason: null, reasonSource: null },
        after: { reason: 'no-material', reasonSource: 'coordinator' },
      },
    ]);
    // The same classification again changes nothing (nor who gave it, nor when) and writes no row.
    const again = await api()
      .put(`/api/v1/stops/${id}/reason`)
      .set('Authorization', `Bearer ${tokens.manager}`)
      .send({ reasonKey: 'no-material' })
      .expect(200);
    expect(again.body).toMatchObject({ classifiedBy: 'stops-coordinator', classifiedAt: classified.classifiedAt });
    expect(await auditRows('stop.classified')).toHaveLength(1);
  });

  it('overrides a reason the station gave; a new reason names the person who gave it', async () => {
    const id = `line-a.middle.${T0 + 60 * S}`;
    await api()
      .put(`/api/v1/stops/${id}/reason`)
      .set('Authorization', `Bearer ${tokens.coordinator}`)
      .send({ reasonKey: 'jam' })
      .expect(200);
    const first = (await stops()).find((s) => s.id === id)!;
    expect(first).toMatchObject({ reason: 'jam', reasonSource: 'coordinator', classifiedBy: 'stops-coordinator' });
    await api()
      .put(`/api/v1/stops/${id}/reason`)
      .set('Authorization', `Bearer ${tokens.manager}`)
      .send({ reasonKey: 'tool-breakage' })
      .expect(200);
    const second = (await stops()).find((s) => s.id === id)!;
    expect(second).toMatchObject({ reason: 'tool-breakage', stationReason: 'Jam', classifiedBy: 'stops-manager' });
    expect(Date.parse(second.classifiedAt!)).toBeGreaterThan(Date.parse(first.classifiedAt!));
  });

  it('splits a stop into two reasons at a time point, and a part again', async () => {
    const id = `line-a.middle.${T0 + 60 * S}`;
    const res = await api()
      .post(`/api/v1/stops/${id}/split`)
      .set('Authorization', `Bearer ${tokens.coordinator}`)
      .send({ at: iso(T0 + 200 * S), firstReasonKey: 'jam', secondReasonKey: 'no-material' })
      .expect(200);
    expect((res.body as Stop[]).map((s) => [s.id, s.start, s.end, s.seconds, s.reason, s.classifiedBy])).toEqual([
      [id, iso(T0 + 60 * S), iso(T0 + 200 * S), 140, 'jam', 'stops-coordinator'],
      [`line-a.middle.${T0 + 200 * S}`, iso(T0 + 200 * S), iso(T0 + 360 * S), 160, 'no-material', 'stops-coordinator'],
    ]);
    const [firstPart, secondPart] = res.body as Stop[];
    expect(secondPart!.classifiedAt).toBe(firstPart!.classifiedAt);
    await api()
      .post(`/api/v1/stops/line-a.middle.${T0 + 200 * S}/split`)
      .set('Authorization', `Bearer ${tokens.coordinator}`)
      .send({ at: iso(T0 + 300 * S), firstReasonKey: 'no-material', secondReasonKey: 'motor-fault' })
      .expect(200);
    const parts = (await stops()).filter((s) => s.station === 'middle' && s.start < iso(T0 + 360 * S));
    expect(parts.map((s) => [s.start, s.seconds, s.reason, s.reasonSource, s.classifiedBy])).toEqual([
      [iso(T0 + 60 * S), 140, 'jam', 'coordinator', 'stops-coordinator'],
      [iso(T0 + 200 * S), 100, 'no-material', 'coordinator', 'stops-coordinator'],
      [iso(T0 + 300 * S), 60, 'motor-fault', 'coordinator', 'stops-coordinator'],
    ]);
    expect(parts[0]!.classifiedAt).toBe(firstPart!.classifiedAt);
    expect(Date.parse(parts[2]!.classifiedAt!)).toBeGreaterThanOrEqual(Date.parse(firstPart!.classifiedAt!));
    const rows = await auditRows('stop.split');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      actor: 'stops-coordinator',
      entity_id: id,
      after: { at: iso(T0 + 200 * S), first: 'jam', second: 'no-material' },
    });
  });

  it('makes the KPI downtime Pareto follow classifications and splits', async () => {
    const kpis = (
      await server.get(`/api/v1/lines/line-a/kpis?from=${iso(T0)}&to=${iso(T0 + 900 * S)}`, tokens.viewer).expect(200)
    ).body as { downtime: { reason: string | null; seconds: number; count: number }[] };
    const seconds = (reason: string | null) => kpis.downtime.find((d) => d.reason === reason)?.seconds ?? 0;
    // The Jam stop [60 s, 360 s) was split into jam 140 s, no-material 100 s and motor-fault 60 s above.
    expect(seconds('no-material')).toBeGreaterThanOrEqual(100);
    expect(seconds('motor-fault')).toBeGreaterThanOrEqual(60);
    expect(seconds('jam')).toBeGreaterThanOrEqual(140);
    // Station texts show up only as catalogue keys: raw text never reaches the Pareto.
    expect(kpis.downtime.map((d) => d.reason)).not.toContain('Jam');
    expect(kpis.downtime.map((d) => d.reason)).not.toContain('hydraulic leak');
  });

  it('splits an ongoing stop before now', async () => {
    const id = `line-a.middle.${T0 + 800 * S}`;
    const res = await api()
      .post(`/api/v1/stops/${id}/split`)
      .set('Authorization', `Bearer ${tokens.coordinator}`)
      .send({ at: iso(T0 + 900 * S), firstReasonKey: 'product-change', secondReasonKey: 'cleaning' })
      .expect(200);
    expect((res.body as Stop[]).map((s) => [s.end, s.reason])).toEqual([
      [iso(T0 + 900 * S), 'product-change'],
      [null, 'cleaning'],
    ]);
  });

  it('refuses a split point outside the stop (422), unknown stops (404), bad ids (400) and unknown reasons (422)', async () => {
    const id = `line-a.middle.${T0 + 400 * S}`;
    const split = (stop: string, at: number, first = 'jam') =>
      api()
        .post(`/api/v1/stops/${stop}/split`)
        .set('Authorization', `Bearer ${tokens.coordinator}`)
        .send({ at: iso(at), firstReasonKey: first, secondReasonKey: 'jam' });
    for (const at of [T0 + 400 * S, T0 + 700 * S, T0 + 100 * S, T0 + 800 * S]) {
      expect((await split(id, at)).body).toMatchObject({ statusCode: 422, code: 'SPLIT_OUTSIDE_STOP' });
    }
    expect((await split(id, T0 + 500 * S, 'no-such-reason')).body).toMatchObject({
      statusCode: 422,
      code: 'REASON_UNKNOWN',
    });
    expect((await split(`line-a.middle.${T0 + 401 * S}`, T0 + 500 * S)).body).toMatchObject({ code: 'STOP_NOT_FOUND' });
    expect((await split(`line-a.last.${T0 + 400 * S}`, T0 + 500 * S)).status).toBe(404);
    expect((await split(`line-a.ghost.${T0 + 400 * S}`, T0 + 500 * S)).status).toBe(404);
    expect((await split(`line-b.middle.${T0 + 400 * S}`, T0 + 500 * S)).status).toBe(404);
    expect((await split(`line-a.middle.${T0 + 360 * S}`, T0 + 370 * S)).body).toMatchObject({ code: 'STOP_NOT_FOUND' });
    expect((await split('middle-400', T0 + 500 * S)).body).toMatchObject({ statusCode: 400, code: 'STOP_ID_INVALID' });
    const wrongWindow = await server.get(`/api/v1/lines/line-a/stops?from=${iso(T0)}&to=${iso(T0 - S)}`, tokens.viewer);
    expect(wrongWindow.status).toBe(400);
    expect((await server.get('/api/v1/lines/nope/stops', tokens.viewer)).status).toBe(404);
  });

  it('manages the catalogue: add, rename, move, refuse cycles, duplicates and deleting a reason in use', async () => {
    const as = (role: Role) => ({ Authorization: `Bearer ${tokens[role]}` });
    const created = await api()
      .post('/api/v1/reasons')
      .set(as('manager'))
      .send({
        key: 'belt-slip',
        name: 'Belt slip',
        parent: 'mechanical',
        category: 'unplanned',
        oeeBucket: 'availability',
      })
      .expect(201);
    expect(created.body).toEqual({
      key: 'belt-slip',
      name: 'Belt slip',
      parent: 'mechanical',
      category: 'unplanned',
      oeeBucket: 'availability',
    });
    await api()
      .post('/api/v1/reasons')
      .set(as('coordinator'))
      .send(created.body as object)
      .expect(403);
    expect(
      (
        await api()
          .post('/api/v1/reasons')
          .set(as('manager'))
          .send(created.body as object)
      ).body.code,
    ).toBe('REASON_EXISTS');
    const unknownParent = await api()
      .post('/api/v1/reasons')
      .set(as('manager'))
      .send({ ...(created.body as object), key: 'x-1', parent: 'nothing' });
    expect([unknownParent.status, unknownParent.body.code]).toEqual([422, 'REASON_PARENT_UNKNOWN']);
    const cycle = await api().patch('/api/v1/reasons/mechanical').set(as('manager')).send({ parent: 'belt-slip' });
    expect([cycle.status, cycle.body.code]).toEqual([422, 'REASON_PARENT_CYCLE']);
    const renamed = await api()
      .patch('/api/v1/reasons/belt-slip')
      .set(as('manager'))
      .send({ name: 'Belt slipping', parent: null })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: 'Belt slipping', parent: null });

    // A station sending the new name is now matched to it.
    await server
      .ingest({
        gatewayId: 'gw-stops',
        events: [
          stationEvent({
            gatewayId: 'gw-stops',
            station: 'last',
            ts: T0 + 10 * S,
            state: 'down',
            reason: 'belt slipping',
          }),
          stationEvent({ gatewayId: 'gw-stops', station: 'last', ts: T0 + 20 * S, state: 'running' }),
        ],
      })
      .expect(200);
    expect((await stops()).find((s) => s.station === 'last')).toMatchObject({
      reason: 'belt-slip',
      reasonSource: 'station',
    });

    const inUse = await api().delete('/api/v1/reasons/no-material').set(as('manager'));
    expect([inUse.status, inUse.body.code]).toEqual([409, 'REASON_IN_USE']);
    const parent = await api().delete('/api/v1/reasons/electrical').set(as('manager'));
    expect([parent.status, parent.body.code]).toEqual([409, 'REASON_HAS_CHILDREN']);
    await api().delete('/api/v1/reasons/belt-slip').set(as('manager')).expect(204);
    await api().delete('/api/v1/reasons/belt-slip').set(as('manager')).expect(404);
    expect((await auditRows('reason.created')).map((r) => r.entity_id)).toEqual(['belt-slip']);
    expect((await auditRows('reason.updated'))[0]).toMatchObject({
      actor: 'stops-manager',
      before: { name: 'Belt slip' },
      after: { name: 'Belt slipping' },
    });
    expect((await auditRows('reason.deleted'))[0]).toMatchObject({
      entity_id: 'belt-slip',
      before: { key: 'belt-slip' },
    });
  });

  it('reads stops from the persisted history: a repeat before the window keeps the real start, a late event splits', async () => {
    // Well before T0, so the other tests' windows do not see these.
    const A = T0 - 3000 * S;
    const send = (events: Parameters<typeof stationEvent>[0][]) =>
      server
        .ingest({
          gatewayId: 'gw-stops',
          events: events.map((e) => stationEvent({ gatewayId: 'gw-stops', station: 'last', ...e })),
        })
        .expect(200);
    const window = async (from: number, to: number) =>
      (
        (await server.get(`/api/v1/lines/line-a/stops?from=${iso(from)}&to=${iso(to)}`, tokens.viewer).expect(200))
          .body as Stop[]
      )
        .filter((s) => s.station === 'last')
        .map((s) => [s.start, s.end, s.reason, s.stationReason]);
    await send([
      { ts: A, state: 'down', reason: 'Jam' },
      { ts: A + 600 * S, state: 'down' },
      { ts: A + 1200 * S, state: 'running' },
    ]);
    expect(await window(A - 100 * S, A + 2000 * S)).toEqual([[iso(A), iso(A + 1200 * S), 'jam', 'Jam']]);
    // Inside the stop, after the repeat: still the whole stop from its real start.
    expect((await window(A + 900 * S, A + 1000 * S)).map(([start, end]) => [start, end])).toEqual([
      [iso(A), iso(A + 1200 * S)],
    ]);
    // A late event: the station was idle from A + 300 s; the stop ends there and a new one begins at the repeat.
    await send([{ ts: A + 300 * S, state: 'idle' }]);
    expect(await window(A - 100 * S, A + 2000 * S)).toEqual([
      [iso(A), iso(A + 300 * S), 'jam', 'Jam'],
      [iso(A + 600 * S), iso(A + 1200 * S), null, null],
    ]);
  });
});
