import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ROLES, type AuthSession, type Role } from '@floorboard/shared';
import { fetchMe, login as requestLogin, logout as requestLogout, refreshSession } from '../api/auth';
import { ApiRequestError, type RefreshOutcome } from '../api/client';
import { t } from '../locales/i18n';

/**
 * A person's session, shared by every tab of the browser. localStorage, not sessionStorage: a reload or a new
 * tab stays signed in, and a sign-out in one tab reaches the others through the `storage` event.
 */
export const SESSION_STORAGE_KEY = 'floorboard.session';
/** A wall screen's display token, kept so the screen survives reloads and power cuts. */
export const DISPLAY_STORAGE_KEY = 'floorboard.display';
/** Set when the server refused the stored display token, so a reloaded wall still says why it shows nothing. */
export const DISPLAY_REVOKED_KEY = 'floorboard.display-revoked';
/** Per tab (sessionStorage): this tab is a wall screen signed in with the display token. */
export const TAB_MODE_KEY = 'floorboard.tab-mode';
/** The Web Locks name that keeps tabs from refreshing the same session at once. */
export const REFRESH_LOCK = 'floorboard.refresh';

/** Renew the access token this long before it expires. */
export const REFRESH_LEAD_MS = 60_000;
/** After a refresh the server could not answer, try again after this long. */
export const REFRESH_RETRY_MS = 15_000;

export interface SessionUser {
  username: string;
  role: Role;
}

export interface UserSession {
  accessToken: string;
  /** Epoch ms after which the server refuses the access token. */
  expiresAt: number;
  /** Null only for sessions stored before refresh tokens existed; they end with their access token. */
  refreshToken: string | null;
  user: SessionUser;
}

export interface DisplaySession {
  token: string;
  /** The token's name as the server knows it (`GET /auth/me`), once fetched. */
  name: string | null;
}

/** `user`: a person signed in with a password; `display`: this tab is a wall screen using a display token. */
export type SessionMode = 'user' | 'display';

/** Why the session ended most recently: the person signed out, or the session was lost (expired, revoked, other tab). */
export type SessionEnd = 'logout' | 'lost';

function isUserSession(value: unknown): value is UserSession {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Record<string, unknown>;
  const user = s.user as Record<string, unknown> | null | undefined;
  return (
    typeof s.accessToken === 'string' &&
    s.accessToken !== '' &&
    typeof s.expiresAt === 'number' &&
    (s.refreshToken === undefined || s.refreshToken === null || typeof s.refreshToken === 'string') &&
    typeof user === 'object' &&
    user !== null &&
    typeof user.username === 'string' &&
    (ROLES as readonly unknown[]).includes(user.role)
  );
}

function readJson(storage: Storage, key: string): unknown {
  try {
    const raw = storage.getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    return null;
  }
}

/** The stored person's session, if it can still be used or renewed. */
export function readStoredSession(now = Date.now()): UserSession | null {
  const parsed = readJson(localStorage, SESSION_STORAGE_KEY);
  if (!isUserSession(parsed)) return null;
  const session = { ...parsed, refreshToken: parsed.refreshToken ?? null };
  return session.refreshToken || session.expiresAt > now ? session : null;
}

function readStoredDisplay(): DisplaySession | null {
  const parsed = readJson(localStorage, DISPLAY_STORAGE_KEY) as Record<string, unknown> | null;
  if (!parsed || typeof parsed.token !== 'string' || parsed.token === '') return null;
  return { token: parsed.token, name: typeof parsed.name === 'string' ? parsed.name : null };
}

function writeStorage(storage: Storage, key: string, value: unknown): void {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): the session still works in this tab.
  }
}

function toSession(response: AuthSession, now = Date.now()): UserSession {
  return {
    accessToken: response.accessToken,
    expiresAt: now + response.expiresIn * 1000,
    refreshToken: response.refreshToken,
    user: response.user,
  };
}

/** Runs `task` while holding the cross-tab refresh lock where the browser has Web Locks, directly otherwise. */
function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? locks.request(REFRESH_LOCK, task) : task();
}

export const useAuthStore = defineStore('auth', () => {
  const session = ref<UserSession | null>(readStoredSession());
  const display = ref<DisplaySession | null>(readStoredDisplay());
  const displayRevoked = ref(localStorage.getItem(DISPLAY_REVOKED_KEY) === '1');
  const mode = ref<SessionMode>(sessionStorage.getItem(TAB_MODE_KEY) === 'display' ? 'display' : 'user');
  const lastEnd = ref<SessionEnd | null>(null);

  let refreshing: Promise<RefreshOutcome> | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;

  const token = computed(() =>
    mode.value === 'display' ? (display.value?.token ?? null) : (session.value?.accessToken ?? null),
  );
  const user = computed<SessionUser | null>(() => {
    if (mode.value === 'user') return session.value?.user ?? null;
    return display.value ? { username: display.value.name ?? t('wall.screenName'), role: 'viewer' } : null;
  });
  const isAuthenticated = computed(() => token.value !== null);
  const isDisplay = computed(() => mode.value === 'display');
  /** Changes when a different person or screen signs in, not when the same session renews its token. */
  const sessionKey = computed(() => {
    if (mode.value === 'display') return display.value ? `display:${display.value.token}` : null;
    return session.value ? `user:${session.value.user.username}` : null;
  });

  function setMode(next: SessionMode): void {
    mode.value = next;
    try {
      if (next === 'display') sessionStorage.setItem(TAB_MODE_KEY, 'display');
      else sessionStorage.removeItem(TAB_MODE_KEY);
    } catch {
      // sessionStorage disabled: the mode lasts until the tab reloads.
    }
  }

  function clearRefreshTimer(): void {
    if (refreshTimer !== null) clearTimeout(refreshTimer);
    refreshTimer = null;
  }

  /** Renews the access token shortly before it expires (with a little jitter so tabs do not collide). */
  function scheduleRefresh(delayMs?: number): void {
    clearRefreshTimer();
    const current = session.value;
    if (!current?.refreshToken) return;
    const delay = delayMs ?? Math.max(0, current.expiresAt - Date.now() - REFRESH_LEAD_MS - Math.random() * 5000);
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      void refresh();
    }, delay);
  }

  /** Takes a session into this tab; `persist` writes it for the other tabs too. */
  function setSession(next: UserSession | null, persist = true): void {
    session.value = next;
    if (persist) writeStorage(localStorage, SESSION_STORAGE_KEY, next);
    if (next) scheduleRefresh();
    else clearRefreshTimer();
  }

  /** Signs in; throws an `ApiRequestError` (`AUTH_INVALID_CREDENTIALS`, `AUTH_LOCKED`, …) on failure. */
  async function login(username: string, password: string): Promise<void> {
    const response = await requestLogin({ username, password });
    lastEnd.value = null;
    setMode('user');
    setSession(toSession(response));
  }

  async function doRefresh(): Promise<RefreshOutcome> {
    const mine = session.value;
    if (mode.value !== 'user' || !mine?.refreshToken) return 'rejected';
    return withRefreshLock(async () => {
      // While this tab waited, another one may have renewed the session (or signed out).
      const stored = readStoredSession();
      if (!stored) {
        endSession();
        return 'rejected';
      }
      if (stored.accessToken !== mine.accessToken && stored.expiresAt > Date.now() + REFRESH_LEAD_MS / 2) {
        setSession(stored, false);
        return 'refreshed';
      }
      if (!stored.refreshToken) {
        endSession();
        return 'rejected';
      }
      try {
        setSession(toSession(await refreshSession(stored.refreshToken)));
        return 'refreshed';
      } catch (error) {
        const refused = error instanceof ApiRequestError && error.status >= 400 && error.status < 500;
        if (refused && error.status !== 429) {
          endSession();
          return 'rejected';
        }
        scheduleRefresh(REFRESH_RETRY_MS);
        return 'unavailable';
      }
    });
  }

  /** Renews the access token. Parallel callers share one refresh; tabs take turns through a Web Lock. */
  function refresh(): Promise<RefreshOutcome> {
    refreshing ??= doRefresh().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /**
   * True when a usable token is in place, renewing an expired (or nearly expired) access token first. Used
   * by the router before every navigation.
   */
  async function ensureFresh(now = Date.now()): Promise<boolean> {
    if (mode.value === 'display') return display.value !== null;
    const current = session.value;
    if (!current) return false;
    if (current.expiresAt > now + 5000) return true;
    if (!current.refreshToken) {
      endSession();
      return false;
    }
    return (await refresh()) !== 'rejected' && session.value !== null;
  }

  /** The person signs out: the server forgets the refresh token, every tab signs out. A wall forgets its token. */
  function logout(): void {
    lastEnd.value = 'logout';
    if (mode.value === 'display') {
      display.value = null;
      writeStorage(localStorage, DISPLAY_STORAGE_KEY, null);
      setMode('user');
      return;
    }
    const ending = session.value;
    setSession(null);
    if (ending?.refreshToken) void requestLogout(ending.refreshToken, ending.accessToken).catch(() => undefined);
  }

  /** The server refused the token for good. A wall screen remembers that its access was revoked. */
  function endSession(): void {
    lastEnd.value = 'lost';
    if (mode.value === 'display') {
      if (!display.value) return;
      display.value = null;
      writeStorage(localStorage, DISPLAY_STORAGE_KEY, null);
      displayRevoked.value = true;
      localStorage.setItem(DISPLAY_REVOKED_KEY, '1');
      return;
    }
    if (session.value) setSession(null);
  }

  /** This tab becomes a wall screen signed in with `displayToken` (from the wall link). */
  function enterDisplay(displayToken: string): void {
    display.value = { token: displayToken, name: null };
    writeStorage(localStorage, DISPLAY_STORAGE_KEY, display.value);
    displayRevoked.value = false;
    localStorage.removeItem(DISPLAY_REVOKED_KEY);
    lastEnd.value = null;
    setMode('display');
  }

  /** A wall opened without a token: use the display token stored by an earlier visit, if any. */
  function resumeDisplay(): boolean {
    if (mode.value === 'display') return true;
    const stored = readStoredDisplay();
    if (!stored) return false;
    display.value = stored;
    setMode('display');
    return true;
  }

  /** Asks the server whose token this is, to show the wall screen's name. Failures are left to the API hooks. */
  async function loadDisplayName(): Promise<void> {
    const current = display.value;
    if (mode.value !== 'display' || !current) return;
    const me = await fetchMe();
    if (display.value?.token !== current.token) return;
    display.value = { ...current, name: me.username };
    writeStorage(localStorage, DISPLAY_STORAGE_KEY, display.value);
  }

  /**
   * Another tab changed the stored session (`storage` event): follow it. Returns `signed-out` when that tab
   * signed out (or another person's session replaced this one), `renewed` when it refreshed, else `unchanged`.
   */
  function syncFromStorage(): 'signed-out' | 'switched' | 'renewed' | 'unchanged' {
    if (mode.value !== 'user') return 'unchanged';
    const stored = readStoredSession();
    const current = session.value;
    if (!stored) {
      if (!current) return 'unchanged';
      lastEnd.value = 'logout';
      setSession(null, false);
      return 'signed-out';
    }
    if (current && stored.accessToken === current.accessToken) return 'unchanged';
    const switched =
      !current || current.user.username !== stored.user.username || current.user.role !== stored.user.role;
    setSession(stored, false);
    return switched ? 'switched' : 'renewed';
  }

  if (session.value && mode.value === 'user') scheduleRefresh();

  return {
    session,
    display,
    displayRevoked,
    mode,
    lastEnd,
    token,
    user,
    isAuthenticated,
    isDisplay,
    sessionKey,
    login,
    logout,
    refresh,
    ensureFresh,
    endSession,
    enterDisplay,
    resumeDisplay,
    loadDisplayName,
    syncFromStorage,
  };
});

export type AuthStore = ReturnType<typeof useAuthStore>;
