import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ROLES, type Role } from '@floorboard/shared';
import { login as requestLogin } from '../api/auth';

/** localStorage, not sessionStorage: a wall screen must still be signed in after a reload or power cut. */
export const SESSION_STORAGE_KEY = 'floorboard.session';

export interface Session {
  accessToken: string;
  /** Epoch ms after which the server will refuse the token. */
  expiresAt: number;
  user: { username: string; role: Role };
}

function isSession(value: unknown): value is Session {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Record<string, unknown>;
  const user = s.user as Record<string, unknown> | null | undefined;
  return (
    typeof s.accessToken === 'string' &&
    s.accessToken !== '' &&
    typeof s.expiresAt === 'number' &&
    typeof user === 'object' &&
    user !== null &&
    typeof user.username === 'string' &&
    (ROLES as readonly unknown[]).includes(user.role)
  );
}

function readStoredSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return isSession(parsed) && parsed.expiresAt > Date.now() ? parsed : null;
  } catch {
    return null;
  }
}

export const useAuthStore = defineStore('auth', () => {
  const session = ref<Session | null>(readStoredSession());

  const token = computed(() => session.value?.accessToken ?? null);
  const user = computed(() => session.value?.user ?? null);
  const isAuthenticated = computed(() => session.value !== null);

  function save(next: Session | null): void {
    session.value = next;
    if (next) localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(next));
    else localStorage.removeItem(SESSION_STORAGE_KEY);
  }

  /** Signs in; throws an `ApiRequestError` (`AUTH_INVALID_CREDENTIALS`, …) on failure. */
  async function login(username: string, password: string): Promise<void> {
    const response = await requestLogin({ username, password });
    save({
      accessToken: response.accessToken,
      expiresAt: Date.now() + response.expiresIn * 1000,
      user: response.user,
    });
  }

  function logout(): void {
    save(null);
  }

  /** Drops a session whose token has expired; true when a usable session remains. */
  function checkExpiry(now = Date.now()): boolean {
    if (session.value && session.value.expiresAt <= now) save(null);
    return session.value !== null;
  }

  return { session, token, user, isAuthenticated, login, logout, checkExpiry };
});
