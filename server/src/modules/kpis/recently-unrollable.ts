/**
 * Buckets that could not be rolled up a moment ago (an active period around them was ongoing or longer than the
 * history fetched for them), so queries in the next minutes don't compute them twice: once for the store,
 * once raw. An entry holds only while the line's rollup epoch is the one it was found under (history changed
 * since: try again) and for `retryAfterMs` (an ongoing period may have ended). Bounded: it forgets everything when
 * it grows past `limit`.
 */
export class RecentlyUnrollable {
  private readonly entries = new Map<string, { until: number; epoch: number }>();

  constructor(
    private readonly retryAfterMs = 10 * 60_000,
    private readonly limit = 100_000,
  ) {}

  remember(line: string, bucketStart: number, epoch: number, now: number): void {
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(`${line}@${bucketStart}`, { until: now + this.retryAfterMs, epoch });
  }

  recent(line: string, bucketStart: number, epoch: number | null, now: number): boolean {
    const key = `${line}@${bucketStart}`;
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    if (entry.until > now && entry.epoch === epoch) return true;
    this.entries.delete(key);
    return false;
  }
}
