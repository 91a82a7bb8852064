import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new opaque secret: the prefix says what it is, 32 random bytes make it unguessable. */
export function newSecretToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Only this digest is stored; a stolen database does not give working tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `<prefix>` + 43 base64url characters, the shape `newSecretToken` makes. */
export function secretTokenPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}[A-Za-z0-9_-]{43}$`);
}

/** Constant-time comparison of secrets of any length (hash first so lengths match). */
export function secretsEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match ? match[1]! : null;
}
