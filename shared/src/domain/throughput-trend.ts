const MINUTE = 60_000;

/** Bucket lengths tried, shortest first, when the caller gives none. */
const DEFAULT_BUCKETS = [5, 15, 30, 60, 120, 240, 720, 1440];

/** The shortest default bucket length (minutes) giving at most `maxBuckets` buckets over `spanMs`. */
export function defaultBucketMinutes(spanMs: number, maxBuckets = 200): number {
  return DEFAULT_BUCKETS.find((m) => Math.ceil(spanMs / (m * MINUTE)) <= maxBuckets) ?? DEFAULT_BUCKETS.at(-1)!;
}

export interface MinuteCount {
  /** Start of the minute, epoch ms. */
  minute: number;
  good: number;
  scrap: number;
}

export interface TrendBucket {
  start: number;
  end: number;
  good: number;
  scrap: number;
  unitsPerHour: number;
}

/**
 * Per-minute counts summed into buckets of `bucketMinutes` starting at `from`, covering `[from, to)`; the last
 * bucket is cut at `to` (its rate is over the cut length). A minute belongs to the bucket its start falls in;
 * minutes outside `[from, to)` are ignored. Buckets without counts are there with zeros.
 */
export function throughputBuckets(input: {
  from: number;
  to: number;
  bucketMinutes: number;
  minutes: readonly MinuteCount[];
}): TrendBucket[] {
  const { from, to } = input;
  const size = input.bucketMinutes * MINUTE;
  const buckets: TrendBucket[] = [];
  for (let start = from; start < to; start += size) {
    buckets.push({ start, end: Math.min(start + size, to), good: 0, scrap: 0, unitsPerHour: 0 });
  }
  for (const m of input.minutes) {
    if (m.minute < from || m.minute >= to) continue;
    const bucket = buckets[Math.floor((m.minute - from) / size)]!;
    bucket.good += m.good;
    bucket.scrap += m.scrap;
  }
  for (const b of buckets) b.unitsPerHour = (b.good * 3_600_000) / (b.end - b.start);
  return buckets;
}
