import request from 'supertest';
import { io } from 'socket.io-client';
import { DataSource } from 'typeorm';
import type { AuthSession, Me, TokenView, UserView } from '@floorboard/shared';
import { TokenService } from '../../src/modules/auth/token.service.js';
import { ADMIN_PASSWORD, dropTestSchema, startTestServer, type TestServer } from '../support/test-server.js';
import { stationEvent, TEST_PLANT } from '../support/fixtures.js';
import { createToken, login } from '../support/users.js';

describe('sign-in, sessions, users, display and ingest tokens', () => {
  let server: TestServer;
  const api = () => request(server.httpUrl);
  const asAdmin = (req: request.Test) => req.set('Authorization', `Bearer ${server.adminToken}`);

  beforeAll(async () => {
    server = await startTestServer({ plant: TEST_PLANT });
  });
  afterAll(async () => {
    await dropTestSchema(server);
    await server.close();
  });

  it('signs in with a 15-minute access token and a refresh token, and says who is calling', async () => {
    const session = await login(server, 'Admin', ADMIN_PASSWORD);
    expect(session).toMatchObject({ expiresIn: 900, user: { username: 'admin', role: 'admin' } });
    expect(session.refreshToken).toMatch(/^fbr_[A-Za-z0-9_-]{43}$/);
    const me = await api().get('/api/v1/auth/me').set('Authorization', `Bearer ${session.accessToken}`).expect(200);
    expect(me.body).toEqual({ username: 'admin', role: 'admin', kind: 'user' } satisfies Me);
  });

  it('rotates refresh tokens; a reused one ends the whole session', async () => {
    const first = await login(server, 'admin', ADMIN_PASSWORD);
    const second = (await api().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200))
      .body as AuthSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second).toMatchObject({ expiresIn: 900, user: { username: 'admin', role: 'admin' } });
    const third = (await api().post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200))
      .body as AuthSession;
    // The first token again: a copy is in use somewhere, so the session ends, the newest token too.
    const reused = await api().post('/api/v1/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reused.body).toMatchObject({ code: 'AUTH_REQUIRED' });
    await api().post('/api/v1/auth/refresh').send({ refreshToken: third.refreshToken }).expect(401);
    const audit = (await asAdmin(api().get('/api/v1/audit?action=auth.refresh-reused')).expect(200)).body;
    expect(audit.items[0]).toMatchObject({ actor: 'admin', action: 'auth.refresh-reused', entity: 'session' });
  });

  it('ends a session on logout and refuses an expired refresh token', async () => {
    const session = await login(server, 'admin', ADMIN_PASSWORD);
    await api().post('/api/v1/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);
    await api().post('/api/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    await api().post('/api/v1/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);

    const stale = await login(server, 'admin', ADMIN_PASSWORD);
    await server.app.get(DataSource).query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second'`);
    const expired = await api().post('/api/v1/auth/refresh').send({ refreshToken: stale.refreshToken }).expect(401);
    expect(expired.body).toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' });
  });

  it('says AUTH_TOKEN_EXPIRED for an expired access token, on REST and on the socket', async () => {
    const [admin] = (await server.app.get(DataSource).query(`SELECT id FROM users WHERE username = 'admin'`)) as {
      id: string;
    }[];
    const expired = await server.app.get(TokenService).sign({ sub: admin!.id, username: 'admin', role: 'admin' }, -5);
    const res = await api().get('/api/v1/lines').set('Authorization', `Bearer ${expired}`).expect(401);
    expect(res.body).toMatchObject({ code: 'AUTH_TOKEN_EXPIRED' });
    const socket = io(`${server.httpUrl}/live`, {
      auth: { token: expired },
      transports: ['websocket'],
      reconnection: false,
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toBe('AUTH_TOKEN_EXPIRED');
  });

  it('manages users: create (409 USER_EXISTS), list, change role, disable (sessions end)', async () => {
    const created = await asAdmin(api().post('/api/v1/users'))
      .send({ username: 'Planner.One', password: 'planner-password', role: 'planner' })
      .expect(201);
    const user = created.body as UserView;
    expect(user).toMatchObject({ username: 'planner.one', role: 'planner', disabled: false, lastLoginAt: null });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    const dup = await asAdmin(api().post('/api/v1/users'))
      .send({ username: 'PLANNER.ONE', password: 'planner-password', role: 'viewer' })
      .expect(409);
    expect(dup.body).toMatchObject({ code: 'USER_EXISTS' });

    const session = await login(server, 'planner.one', 'planner-password');
    const listed = (await asAdmin(api().get('/api/v1/users')).expect(200)).body as UserView[];
    expect(listed.find((u) => u.username === 'planner.one')!.lastLoginAt).not.toBeNull();
    expect(Object.keys(listed[0]!).sort()).toEqual(['createdAt', 'disabled', 'id', 'lastLoginAt', 'role', 'username']);

    // A demotion applies to the very next request with the same access token.
    await asAdmin(api().patch(`/api/v1/users/${user.id}`))
      .send({ role: 'viewer' })
      .expect(200);
    const me = await api().get('/api/v1/auth/me').set('Authorization', `Bearer ${session.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ role: 'viewer' });

    const disabled = await asAdmin(api().patch(`/api/v1/users/${user.id}`))
      .send({ disabled: true })
      .expect(200);
    expect(disabled.body).toMatchObject({ disabled: true, role: 'viewer' });
    await api().get('/api/v1/auth/me').set('Authorization', `Bearer ${session.accessToken}`).expect(401);
    await api().post('/api/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    const refused = await api()
      .post('/api/v1/auth/login')
      .send({ username: 'planner.one', password: 'planner-password' })
      .expect(401);
    expect(refused.body).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });

    await asAdmin(api().patch(`/api/v1/users/00000000-0000-4000-8000-000000000000`))
      .send({ role: 'viewer' })
      .expect(404)
      .expect((res) => expect(res.body.code).toBe('USER_NOT_FOUND'));
    await asAdmin(api().patch(`/api/v1/users/${user.id}`))
      .send({})
      .expect(400);
  });

  it('never leaves the plant without an enabled admin (409 LAST_ADMIN)', async () => {
    const users = (await asAdmin(api().get('/api/v1/users')).expect(200)).body as UserView[];
    const admin = users.find((u) => u.username === 'admin')!;
    for (const change of [{ role: 'manager' }, { disabled: true }]) {
      const res = await asAdmin(api().patch(`/api/v1/users/${admin.id}`))
        .send(change)
        .expect(409);
      expect(res.body).toMatchObject({ code: 'LAST_ADMIN' });
    }
    const second = (
      await asAdmin(api().post('/api/v1/users'))
        .send({ username: 'second-admin', password: 'second-password', role: 'admin' })
        .expect(201)
    ).body as UserView;
    const secondSession = await login(server, 'second-admin', 'second-password');
    await api()
      .patch(`/api/v1/users/${second.id}`)
      .set('Authorization', `Bearer ${secondSession.accessToken}`)
      .send({ role: 'manager' })
      .expect(200);
    expect((await asAdmin(api().get('/api/v1/users')).expect(200)).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ username: 'second-admin', role: 'manager' })]),
    );
  });

  it('display tokens: shown once, a viewer on REST and socket, revoked → 401 and sockets closed', async () => {
    const created = await createToken(server, 'display', 'Hall 2 wall');
    expect(created.token).toMatch(/^fbd_[A-Za-z0-9_-]{43}$/);
    const listed = (await asAdmin(api().get('/api/v1/display-tokens')).expect(200)).body as TokenView[];
    const view = listed.find((t) => t.id === created.id)!;
    expect(view).toMatchObject({ name: 'Hall 2 wall', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.token);
    const stored = (await server.app.get(DataSource).query(`SELECT token_hash FROM display_tokens`)) as {
      token_hash: string;
    }[];
    expect(JSON.stringify(stored)).not.toContain(created.token);

    const bearer = (req: request.Test) => req.set('Authorization', `Bearer ${created.token}`);
    expect((await bearer(api().get('/api/v1/auth/me')).expect(200)).body).toEqual({
      username: 'Hall 2 wall',
      role: 'viewer',
      kind: 'display',
    });
    await bearer(api().get('/api/v1/lines/line-a/live')).expect(200);
    expect((await bearer(api().get('/api/v1/users')).expect(403)).body).toMatchObject({ code: 'AUTH_ROLE_TOO_LOW' });
    await bearer(api().post('/api/v1/ingest/events')).send({ gatewayId: 'gw', events: [] }).expect(401);

    const socket = io(`${server.httpUrl}/live`, {
      auth: { token: created.token },
      transports: ['websocket'],
      reconnection: false,
    });
    expect(await socket.emitWithAck('subscribe', { lines: ['line-a'] })).toEqual({ ok: true, lines: ['line-a'] });
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await asAdmin(api().delete(`/api/v1/display-tokens/${created.id}`)).expect(204);
    expect(await closed).toBe('io server disconnect');
    await bearer(api().get('/api/v1/lines')).expect(401);
    await asAdmin(api().delete(`/api/v1/display-tokens/${created.id}`)).expect(204);
    const missing = await asAdmin(api().delete('/api/v1/display-tokens/00000000-0000-4000-8000-000000000000')).expect(
      404,
    );
    expect(missing.body).toMatchObject({ code: 'DISPLAY_TOKEN_NOT_FOUND' });
    const revoked = (await asAdmin(api().get('/api/v1/display-tokens')).expect(200)).body as TokenView[];
    expect(revoked.find((t) => t.id === created.id)!.revokedAt).not.toBeNull();
  });

  it('ingest tokens: accepted by ingest only; revoked → refused; the bootstrap token keeps working', async () => {
    const created = await createToken(server, 'ingest', 'gateway hall 2');
    expect(created.token).toMatch(/^fbi_/);
    const batch = { gatewayId: 'gw-token', events: [stationEvent({ gatewayId: 'gw-token' })] };
    expect((await server.ingest(batch, created.token).expect(200)).body).toMatchObject({ accepted: 1 });
    await api().get('/api/v1/lines').set('Authorization', `Bearer ${created.token}`).expect(401);
    await server.ingest({ gatewayId: 'gw-token', events: [stationEvent({ gatewayId: 'gw-token' })] }).expect(200);
    await asAdmin(api().delete(`/api/v1/ingest-tokens/${created.id}`)).expect(204);
    const refused = await server.ingest(batch, created.token).expect(401);
    expect(refused.body).toMatchObject({ code: 'AUTH_INGEST_TOKEN_INVALID' });
    const listed = (await asAdmin(api().get('/api/v1/ingest-tokens')).expect(200)).body as TokenView[];
    expect(listed.find((t) => t.id === created.id)).toMatchObject({ name: 'gateway hall 2' });
    expect(listed.find((t) => t.id === created.id)!.lastUsedAt).not.toBeNull();
    await asAdmin(api().delete('/api/v1/ingest-tokens/00000000-0000-4000-8000-000000000000'))
      .expect(404)
      .expect((res) => expect(res.body.code).toBe('INGEST_TOKEN_NOT_FOUND'));
  });

  it('sends security headers that keep the dashboard, the socket and Swagger UI working', async () => {
    const res = await api().get('/health/live').expect(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const docs = await api().get('/api/docs/').expect(200);
    expect(docs.text).toContain('swagger-ui');
  });

  it('limits bodies: 256 kB in general, 4 MB for ingest; JSON only', async () => {
    const big = { username: 'x'.repeat(300 * 1024), password: 'y' };
    const tooLarge = await api().post('/api/v1/auth/login').send(big).expect(413);
    expect(tooLarge.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const events = Array.from({ length: 2000 }, () => stationEvent({ reason: 'r'.repeat(200) }));
    const ingest = await server.ingest({ gatewayId: 'gw-test', events });
    expect(JSON.stringify({ events }).length).toBeGreaterThan(256 * 1024);
    expect(ingest.status).toBe(200);
    const form = await api().post('/api/v1/auth/login').type('form').send('username=admin&password=x').expect(415);
    expect(form.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('refuses socket handshakes from foreign browser origins', async () => {
    const socket = io(`${server.httpUrl}/live`, {
      auth: { token: server.adminToken },
      transports: ['polling'],
      reconnection: false,
      extraHeaders: { Origin: 'https://evil.example' },
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error).toBeDefined();
    socket.disconnect();
  });

  it('locks a username after 5 failures (429 AUTH_LOCKED, Retry-After), even for the right password', async () => {
    await asAdmin(api().post('/api/v1/users'))
      .send({ username: 'victim', password: 'victim-password', role: 'viewer' })
      .expect(201);
    for (let i = 0; i < 5; i++) {
      await api()
        .post('/api/v1/auth/login')
        .send({ username: 'victim', password: `wrong-${i}` })
        .expect(401);
    }
    const locked = await api()
      .post('/api/v1/auth/login')
      .send({ username: 'victim', password: 'victim-password' })
      .expect(429);
    expect(locked.body).toMatchObject({ code: 'AUTH_LOCKED', details: { retryAfterSeconds: 30 } });
    expect(locked.headers['retry-after']).toBe('30');
    const failures = (
      await asAdmin(api().get('/api/v1/audit?action=auth.login-failed&actor=victim&limit=10')).expect(200)
    ).body;
    expect(failures.items).toHaveLength(6);
    expect(failures.items[0]).toMatchObject({ after: { username: 'victim', reason: 'locked' }, role: null });
    expect(JSON.stringify(failures)).not.toMatch(/wrong-|victim-password/);
  });

  it('locks an address after 20 failures across usernames', async () => {
    let status = 0;
    for (let i = 0; i < 20 && status !== 429; i++) {
      status = (
        await api()
          .post('/api/v1/auth/login')
          .send({ username: `nobody-${i}`, password: 'x' })
      ).status;
    }
    const locked = await api().post('/api/v1/auth/login').send({ username: 'someone-else', password: 'x' }).expect(429);
    expect(locked.body).toMatchObject({ code: 'AUTH_LOCKED' });
  });
});
