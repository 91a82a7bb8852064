import type { Role } from './api.js';

/** Access tokens (HS256 JWT) live 15 minutes; the refresh token renews them (DESIGN.md §4.4, §4.6). */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** A refresh token expires 12 hours after it was issued; every use rotates it and restarts the 12 hours. */
export const REFRESH_TOKEN_TTL_SECONDS = 12 * 3600;

/** Opaque secrets start with a prefix that says what they are; only their SHA-256 is stored. */
export const REFRESH_TOKEN_PREFIX = 'fbr_';
export const DISPLAY_TOKEN_PREFIX = 'fbd_';
export const INGEST_TOKEN_PREFIX = 'fbi_';

/** Who is calling: a signed-in person, or a wall screen with a display token (always a viewer). */
export type PrincipalKind = 'user' | 'display';

/** `POST /auth/login {username, password}` and `POST /auth/refresh {refreshToken}` both answer this. */
export interface AuthSession {
  accessToken: string;
  /** Seconds until `accessToken` expires. */
  expiresIn: number;
  refreshToken: string;
  user: { username: string; role: Role };
}

export interface RefreshRequest {
  refreshToken: string;
}

/** `POST /auth/logout {refreshToken}` → 204; the token's whole session (rotation family) is revoked. */
export type LogoutRequest = RefreshRequest;

/** `GET /auth/me`. For a display token `username` is the token's name and `role` is always `viewer`. */
export interface Me {
  username: string;
  role: Role;
  kind: PrincipalKind;
}

/** `GET /users` items and the body of `POST /users` (201) and `PATCH /users/:id`. Times are ISO 8601. */
export interface UserView {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface CreateUserRequest {
  /** 1–64 characters of `a-z 0-9 . _ @ -`, starting with a letter or digit; sign-in ignores case. */
  username: string;
  /** 8–256 characters. */
  password: string;
  role: Role;
}

/** At least one field. Disabling a user or changing the password ends all their sessions. */
export interface UpdateUserRequest {
  role?: Role;
  disabled?: boolean;
  password?: string;
}

/** `GET /display-tokens` and `GET /ingest-tokens` items. */
export interface TokenView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Body of `POST /display-tokens` and `POST /ingest-tokens` (name: 1–100 characters). */
export interface CreateTokenRequest {
  name: string;
}

/** Answer of those POSTs (201). `token` is shown only here, never again. */
export interface CreatedToken {
  id: string;
  name: string;
  token: string;
}

/** `GET /audit?from&to&actor&action&limit&cursor` (manager and admin), newest first. */
export interface AuditQuery {
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  /** Exact username or token name. */
  actor?: string;
  /** Exact action, e.g. `user.created`. */
  action?: string;
  /** 1–500, default 100. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  /** Username, token name, or `system` for changes made by the server itself (plant file at boot). */
  actor: string;
  /** null for failed sign-ins, gateways and the system. */
  role: Role | null;
  /** `entity.verb-past`, e.g. `user.created`, `plant.applied`, `display-token.revoked`, `auth.login-failed`. */
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Error codes of sign-in and access control, as returned in `{statusCode, code, message, details?}`. */
export const AUTH_ERROR_CODES = [
  'AUTH_REQUIRED',
  'AUTH_TOKEN_EXPIRED',
  'AUTH_INVALID_CREDENTIALS',
  'AUTH_INGEST_TOKEN_INVALID',
  'AUTH_ROLE_TOO_LOW',
  'AUTH_LOCKED',
  'USER_NOT_FOUND',
  'DISPLAY_TOKEN_NOT_FOUND',
  'INGEST_TOKEN_NOT_FOUND',
  'USER_EXISTS',
  'LAST_ADMIN',
] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

/** `details` of a 429 `AUTH_LOCKED` answer (also sent as the `Retry-After` header). */
export interface AuthLockedDetails {
  retryAfterSeconds: number;
}
