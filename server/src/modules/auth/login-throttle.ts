/** Failures before a username is locked; a shared address (a plant floor behind one NAT) gets more. */
export const USERNAME_FAILURE_LIMIT = 5;
export const ADDRESS_FAILURE_LIMIT = 20;
/** The first lock lasts 30 s; each further failure doubles it, up to 15 minutes. */
export const FIRST_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 15 * 60_000;
/** Failures are forgotten this long after the last one, or after the end of the lock it caused. */
export const FORGET_AFTER_MS = 15 * 60_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailureAt: number;
}

/**
 * Sign-in lockout with exponential backoff, per username and per client address. Pure and in memory
 * (per server process): the caller passes the time.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  /** Seconds until the next attempt may be made, or 0 when neither key is locked. */
  retryAfterSeconds(username: string, address: string, now: number): number {
    const until = Math.max(this.lockedUntil(`u:${username}`, now), this.lockedUntil(`a:${address}`, now));
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  fail(username: string, address: string, now: number): void {
    this.bump(`u:${username}`, USERNAME_FAILURE_LIMIT, now);
    this.bump(`a:${address}`, ADDRESS_FAILURE_LIMIT, now);
    if (this.entries.size > MAX_ENTRIES) this.prune(now);
  }

  /** A correct password clears the username's failures (not the address's). */
  succeed(username: string): void {
    this.entries.delete(`u:${username}`);
  }

  private lockedUntil(key: string, now: number): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    if (this.expired(entry, now)) {
      this.entries.delete(key);
      return 0;
    }
    return entry.lockedUntil;
  }

  private bump(key: string, limit: number, now: number): void {
    let entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) entry = { failures: 0, lockedUntil: 0, lastFailureAt: now };
    entry.failures += 1;
    entry.lastFailureAt = now;
    if (entry.failures >= limit) {
      entry.lockedUntil = now + Math.min(FIRST_LOCK_MS * 2 ** (entry.failures - limit), MAX_LOCK_MS);
    }
    this.entries.set(key, entry);
  }

  private expired(entry: Entry, now: number): boolean {
    return now >= Math.max(entry.lockedUntil, entry.lastFailureAt) + FORGET_AFTER_MS;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (this.expired(entry, now)) this.entries.delete(key);
  }
}
