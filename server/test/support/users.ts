import request from 'supertest';
import { ROLES, type AuthSession, type Role } from '@floorboard/shared';
import type { TestServer } from './test-server.js';

export const USER_PASSWORD = 'role-test-password';

/** One signed-in user per role (the admin is the boot admin): role → access token. */
export async function signInEveryRole(server: TestServer, prefix = 'u'): Promise<Record<Role, string>> {
  const tokens = { admin: server.adminToken } as Record<Role, string>;
  for (const role of ROLES.filter((r) => r !== 'admin')) {
    const username = `${prefix}-${role}`;
    await request(server.httpUrl)
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${server.adminToken}`)
      .send({ username, password: USER_PASSWORD, role })
      .expect(201);
    tokens[role] = (await login(server, username, USER_PASSWORD)).accessToken;
  }
  return tokens;
}

export async function login(server: TestServer, username: string, password: string): Promise<AuthSession> {
  const res = await request(server.httpUrl).post('/api/v1/auth/login').send({ username, password }).expect(200);
  return res.body as AuthSession;
}

export async function createToken(server: TestServer, kind: 'display' | 'ingest', name: string) {
  const res = await request(server.httpUrl)
    .post(`/api/v1/${kind}-tokens`)
    .set('Authorization', `Bearer ${server.adminToken}`)
    .send({ name })
    .expect(201);
  return res.body as { id: string; name: string; token: string };
}

/** Rows of every table of the suite's schema, as count and checksum. */
export async function tableChecksums(server: TestServer, exclude = ''): Promise<Record<string, string>> {
  const { DataSource } = await import('typeorm');
  const ds = server.app.get(DataSource);
  const tables = (await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
     ORDER BY table_name`,
  )) as { table_name: string }[];
  const result: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    const filter = table === 'audit_log' && exclude ? `WHERE NOT (${exclude})` : '';
    const [row] = (await ds.query(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM "${table}" t ${filter}`,
    )) as { n: number; sum: string }[];
    result[table] = `${row!.n}:${row!.sum}`;
  }
  return result;
}
