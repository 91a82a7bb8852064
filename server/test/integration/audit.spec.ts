import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AuditEntry, AuditPage } from '@floorboard/shared';
import { dropTestSchema, startTestServer, type TestServer } from '../support/test-server.js';
import { TEST_PLANT } from '../support/fixtures.js';
import { signInEveryRole } from '../support/users.js';

describe('audit log', () => {
  let server: TestServer;
  const audit = (query: string, token = server.adminToken) =>
    request(server.httpUrl).get(`/api/v1/audit${query}`).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    server = await startTestServer({ plant: TEST_PLANT });
  });
  afterAll(async () => {
    await dropTestSchema(server);
    await server.close();
  });

  it('cannot be changed or removed, not even from the application’s own connection', async () => {
    const ds = server.app.get(DataSource);
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM audit_log`)) as [{ n: number }];
    expect(n).toBeGreaterThan(0);
    await expect(ds.query(`UPDATE audit_log SET actor = 'mallory'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(ds.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only: DELETE/);
    await expect(ds.query(`DELETE FROM audit_log WHERE false`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE/);
    const [{ after }] = (await ds.query(`SELECT count(*)::int AS after FROM audit_log WHERE actor = 'mallory'`)) as [
      { after: number },
    ];
    expect(after).toBe(0);
    await expect(ds.query(`SELECT count(*) FROM audit_log`)).resolves.toEqual([{ count: String(n) }]);
  });

  it('records the first admin and a plant change with before and after', async () => {
    const created = (await audit('?action=user.created').expect(200)).body as AuditPage;
    expect(created.items.at(-1)).toMatchObject({ actor: 'system', role: null, entity: 'user' });
    expect(JSON.stringify(created)).not.toMatch(/password_hash|argon2/);

    const grown = { ...TEST_PLANT, microStopSeconds: 90 };
    await request(server.httpUrl)
      .put('/api/v1/plant')
      .set('Authorization', `Bearer ${server.adminToken}`)
      .send(grown)
      .expect(200);
    const [entry] = ((await audit('?action=plant.applied&limit=1').expect(200)).body as AuditPage).items;
    expect(entry).toMatchObject({ actor: 'admin', role: 'admin', action: 'plant.applied', entity: 'plant' });
    expect((entry!.before as { microStopSeconds: number }).microStopSeconds).toBe(120);
    expect((entry!.after as { microStopSeconds: number }).microStopSeconds).toBe(90);
  });

  it('filters by actor, action and time, newest first, and pages with nextCursor', async () => {
    for (let i = 0; i < 5; i++) {
      await request(server.httpUrl)
        .post('/api/v1/display-tokens')
        .set('Authorization', `Bearer ${server.adminToken}`)
        .send({ name: `screen ${i}` })
        .expect(201);
    }
    const seen: AuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditPage = (
        await audit(`?action=display-token.created&limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((e) => (e.after as { name: string }).name)).toEqual([
      'screen 4',
      'screen 3',
      'screen 2',
      'screen 1',
      'screen 0',
    ]);
    expect(seen[0]).toMatchObject({ actor: 'admin', role: 'admin', entity: 'display-token' });
    expect(Object.keys(seen[0]!).sort()).toEqual(
      ['action', 'actor', 'after', 'at', 'before', 'entity', 'entityId', 'id', 'role'].sort(),
    );
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect(((await audit(`?from=${future}`).expect(200)).body as AuditPage).items).toEqual([]);
    expect(((await audit(`?to=${future}&actor=nobody`).expect(200)).body as AuditPage).items).toEqual([]);
    await audit('?cursor=bm9wZQ').expect(400);
    await audit('?limit=0').expect(400);
    await audit('?from=yesterday').expect(400);
  });

  it('is open to managers and admins only', async () => {
    const tokens = await signInEveryRole(server, 'audit');
    await audit('', tokens.manager).expect(200);
    for (const role of ['viewer', 'coordinator', 'planner'] as const) {
      expect((await audit('', tokens[role]).expect(403)).body).toMatchObject({ code: 'AUTH_ROLE_TOO_LOW' });
    }
  });
});
