import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiRequest, configureApiClient } from '../../src/api/client';
import {
  DISPLAY_REVOKED_KEY,
  DISPLAY_STORAGE_KEY,
  REFRESH_LEAD_MS,
  SESSION_STORAGE_KEY,
  TAB_MODE_KEY,
  useAuthStore,
} from '../../src/stores/auth';
import { authSession, storeSession } from '../support/session';
import { errorResponse, jsonResponse, stubApi, type ApiCall } from '../support/http';

/** The auth store wired to the API client as main.ts does. */
function createAuth() {
  setActivePinia(createPinia());
  const auth = useAuthStore();
  const onUnauthorized = vi.fn(() => auth.endSession());
  configureApiClient({ getToken: () => auth.token, refresh: () => auth.refresh(), onUnauthorized });
  return { auth, onUnauthorized };
}

const stored = () => JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY) ?? 'null');

/** `/lines` accepts only `valid`; any other token gets 401 AUTH_TOKEN_EXPIRED. */
const linesFor = (valid: string) => (call: ApiCall) =>
  call.token === valid ? jsonResponse(200, []) : errorResponse(401, 'AUTH_TOKEN_EXPIRED');

describe('auth store: session and refresh', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2026, 2, 2, 8, 0, 0));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the access and refresh token after signing in', async () => {
    stubApi({ 'POST /auth/login': authSession('a1', 'r1', 'planner') });
    const { auth } = createAuth();
    await auth.login('planner', 'secret-pw');
    expect(auth.token).toBe('a1');
    expect(auth.user).toEqual({ username: 'planner', role: 'planner' });
    expect(stored()).toMatchObject({ accessToken: 'a1', refreshToken: 'r1', expiresAt: Date.now() + 900_000 });
  });

  it('refreshes shortly before the access token expires, with the rotated token next time', async () => {
    const api = stubApi({
      'POST /auth/login': authSession('a1', 'r1'),
      'POST /auth/refresh': (call) => {
        const next = (call.body as { refreshToken: string }).refreshToken === 'r1' ? 2 : 3;
        return jsonResponse(200, authSession(`a${next}`, `r${next}`));
      },
    });
    const { auth } = createAuth();
    await auth.login('admin', 'secret-pw');

    await vi.advanceTimersByTimeAsync(900_000 - REFRESH_LEAD_MS - 5_000 - 1);
    expect(api.to('POST /auth/refresh')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(5_001);
    expect(api.to('POST /auth/refresh').map((c) => c.body)).toEqual([{ refreshToken: 'r1' }]);
    expect(auth.token).toBe('a2');
    expect(stored().refreshToken).toBe('r2');

    await vi.advanceTimersByTimeAsync(900_000);
    expect(api.to('POST /auth/refresh').map((c) => c.body)).toEqual([{ refreshToken: 'r1' }, { refreshToken: 'r2' }]);
    expect(auth.token).toBe('a3');
  });

  it('refreshes once for parallel requests refused with AUTH_TOKEN_EXPIRED and retries each once', async () => {
    storeSession('admin', { accessToken: 'old', refreshToken: 'r1' });
    const api = stubApi({
      'GET /lines': linesFor('new'),
      'POST /auth/refresh': jsonResponse(200, authSession('new', 'r2')),
    });
    const { auth, onUnauthorized } = createAuth();

    const results = await Promise.all([apiRequest('/lines'), apiRequest('/lines'), apiRequest('/lines')]);

    expect(results).toEqual([[], [], []]);
    expect(api.to('POST /auth/refresh')).toHaveLength(1);
    expect(api.to('GET /lines').map((c) => c.token)).toEqual(['old', 'old', 'old', 'new', 'new', 'new']);
    expect(auth.token).toBe('new');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('ends the session when the refresh token is refused', async () => {
    storeSession('admin', { accessToken: 'old', refreshToken: 'r-revoked' });
    stubApi({
      'GET /lines': linesFor('new'),
      'POST /auth/refresh': errorResponse(401, 'AUTH_REQUIRED'),
    });
    const { auth, onUnauthorized } = createAuth();

    await expect(apiRequest('/lines')).rejects.toMatchObject({ status: 401, code: 'AUTH_TOKEN_EXPIRED' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(auth.isAuthenticated).toBe(false);
    expect(auth.lastEnd).toBe('lost');
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('keeps the session when the server cannot be reached for the refresh, and tries again later', async () => {
    storeSession('admin', { accessToken: 'old', refreshToken: 'r1' });
    let reachable = false;
    const api = stubApi({
      'GET /lines': linesFor('new'),
      'POST /auth/refresh': () => {
        if (!reachable) throw new TypeError('Failed to fetch');
        return jsonResponse(200, authSession('new', 'r2'));
      },
    });
    const { auth, onUnauthorized } = createAuth();

    await expect(apiRequest('/lines')).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(auth.token).toBe('old');

    reachable = true;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(api.to('POST /auth/refresh')).toHaveLength(2);
    expect(auth.token).toBe('new');
  });

  it('takes over a session another tab already renewed instead of spending the refresh token again', async () => {
    storeSession('admin', { accessToken: 'old', refreshToken: 'r1' });
    const api = stubApi({ 'GET /lines': linesFor('from-other-tab') });
    const { auth } = createAuth();
    storeSession('admin', { accessToken: 'from-other-tab', refreshToken: 'r2' });

    await expect(apiRequest('/lines')).resolves.toEqual([]);
    expect(api.to('POST /auth/refresh')).toHaveLength(0);
    expect(auth.session?.refreshToken).toBe('r2');
  });

  it('renews an expired access token before navigation and drops a session that cannot be renewed', async () => {
    storeSession('admin', { accessToken: 'old', refreshToken: 'r1', expiresAt: Date.now() - 1000 });
    stubApi({ 'POST /auth/refresh': jsonResponse(200, authSession('new', 'r2')) });
    const { auth } = createAuth();
    await expect(auth.ensureFresh()).resolves.toBe(true);
    expect(auth.token).toBe('new');

    storeSession('admin', { accessToken: 'old', refreshToken: null, expiresAt: Date.now() + 1000 });
    const legacy = createAuth().auth;
    expect(legacy.isAuthenticated).toBe(true);
    await expect(legacy.ensureFresh(Date.now() + 2000)).resolves.toBe(false);
    expect(legacy.isAuthenticated).toBe(false);
  });

  it('signs out on the server with the refresh token and forgets the session everywhere', async () => {
    const session = storeSession('admin');
    const api = stubApi({ 'POST /auth/logout': null });
    const { auth } = createAuth();
    auth.logout();
    await vi.runOnlyPendingTimersAsync();

    expect(auth.isAuthenticated).toBe(false);
    expect(auth.lastEnd).toBe('logout');
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    expect(api.to('POST /auth/logout')).toEqual([
      expect.objectContaining({ body: { refreshToken: session.refreshToken }, token: session.accessToken }),
    ]);
  });

  it('follows other tabs: their sign-out, their refresh, another person', () => {
    storeSession('admin', { accessToken: 'a1' });
    stubApi({});
    const { auth } = createAuth();

    storeSession('admin', { accessToken: 'a2' });
    expect(auth.syncFromStorage()).toBe('renewed');
    expect(auth.token).toBe('a2');

    storeSession('viewer');
    expect(auth.syncFromStorage()).toBe('switched');
    expect(auth.user?.role).toBe('viewer');

    localStorage.removeItem(SESSION_STORAGE_KEY);
    expect(auth.syncFromStorage()).toBe('signed-out');
    expect(auth.isAuthenticated).toBe(false);
    expect(auth.lastEnd).toBe('logout');
  });
});

describe('auth store: wall screens with a display token', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('uses the display token as a viewer in this tab only, beside a person’s session', () => {
    storeSession('admin');
    stubApi({});
    const { auth } = createAuth();
    auth.enterDisplay('fbd_wall');

    expect(auth.token).toBe('fbd_wall');
    expect(auth.user?.role).toBe('viewer');
    expect(auth.isDisplay).toBe(true);
    expect(sessionStorage.getItem(TAB_MODE_KEY)).toBe('display');
    // The person's session is untouched for the other tabs.
    expect(stored().user.role).toBe('admin');
    expect(auth.syncFromStorage()).toBe('unchanged');
  });

  it('survives a reload: the stored display token is used again', () => {
    stubApi({});
    createAuth().auth.enterDisplay('fbd_wall');
    const reloaded = createAuth().auth;
    expect(reloaded.token).toBe('fbd_wall');
    expect(reloaded.isDisplay).toBe(true);
  });

  it('never refreshes a display token: a refusal means it was revoked, and that is remembered', async () => {
    const api = stubApi({ 'GET /lines': errorResponse(401, 'AUTH_REQUIRED') });
    const { auth, onUnauthorized } = createAuth();
    auth.enterDisplay('fbd_wall');

    await expect(apiRequest('/lines')).rejects.toMatchObject({ status: 401 });
    expect(api.to('POST /auth/refresh')).toHaveLength(0);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(auth.isAuthenticated).toBe(false);
    expect(auth.displayRevoked).toBe(true);
    expect(localStorage.getItem(DISPLAY_STORAGE_KEY)).toBeNull();
    expect(localStorage.getItem(DISPLAY_REVOKED_KEY)).toBe('1');

    // A new wall link starts over.
    auth.enterDisplay('fbd_new');
    expect(auth.displayRevoked).toBe(false);
    expect(auth.token).toBe('fbd_new');
  });

  it('shows the display token’s name from /auth/me', async () => {
    stubApi({ 'GET /auth/me': { username: 'Hall 2 TV', role: 'viewer', kind: 'display' } });
    const { auth } = createAuth();
    auth.enterDisplay('fbd_wall');
    await auth.loadDisplayName();
    expect(auth.user).toEqual({ username: 'Hall 2 TV', role: 'viewer' });
  });

  it('forgets the display token when the wall signs out', () => {
    stubApi({});
    const { auth } = createAuth();
    auth.enterDisplay('fbd_wall');
    auth.logout();
    expect(auth.isAuthenticated).toBe(false);
    expect(auth.isDisplay).toBe(false);
    expect(auth.displayRevoked).toBe(false);
    expect(localStorage.getItem(DISPLAY_STORAGE_KEY)).toBeNull();
  });
});
