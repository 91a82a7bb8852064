import type { Role } from '@floorboard/shared';
import { SESSION_STORAGE_KEY, type UserSession } from '../../src/stores/auth';

/** Stores a person's session as a sign-in would, before the store is created. */
export function storeSession(role: Role, overrides: Partial<UserSession> = {}): UserSession {
  const session: UserSession = {
    accessToken: `access-${role}`,
    expiresAt: Date.now() + 15 * 60_000,
    refreshToken: `refresh-${role}`,
    user: { username: role === 'admin' ? 'admin' : `${role}-1`, role },
    ...overrides,
  };
  localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
  return session;
}

export function authSession(token: string, refreshToken: string, role: Role = 'admin', expiresIn = 900) {
  return { accessToken: token, expiresIn, refreshToken, user: { username: role === 'admin' ? 'admin' : role, role } };
}
