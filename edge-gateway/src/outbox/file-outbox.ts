import type { FileHandle } from 'node:fs/promises';
import { open, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { StationEvent } from '@floorboard/shared';
import { ensureDir, fsyncDir, writeFileAtomic } from '../durable-file.js';
import type { Logger } from '../logging/logger.js';
import { silentLogger } from '../logging/logger.js';
import { AckedSeqs, type SeqRange } from './acked-seqs.js';
import type { Outbox, OutboxBatch, OutboxEvent } from './outbox.js';
import { RecentKeys } from './recent-keys.js';

/**
 * A file-backed, append-only outbox:
 * - events go to segment files of JSON lines (`seg-<first seq>.jsonl`), one `write` + `fdatasync`
 *   per group of appends (appends that arrive while a flush runs are committed together, and share one
 *   promise);
 * - `ack.json` holds the acknowledged seqs (a mark, plus ranges above it acknowledged through the live
 *   lane) and the number of events dropped by the bounds, replaced atomically; a segment is deleted once
 *   all its events are acknowledged and two newer segments exist (the newest two are kept, so the delivery
 *   keys of recent messages survive a restart and a redelivered message is still recognised);
 * - on open, a torn last line (crash mid-write) is cut off, and every event not acknowledged is pending
 *   again. A crash between the server's commit and our ack means a resend, which the server ignores as a
 *   duplicate of gatewayId+seq;
 * - two lanes (`nextBatch`): normally a batch is the oldest pending events. Once pending events are older
 *   than `liveAfterMs` and more than a batch waits (a backlog, e.g. after a server outage), events appended
 *   from then on form the live lane and get `liveShare` of every batch (more if the backlog has fewer), so
 *   new data reaches the server within about a request's time while the backlog drains oldest first. A
 *   live lane that falls behind by `liveAfterMs` itself is cut again at the newest event (what it held
 *   joins the backlog);
 * - bounds: above `maxEvents` pending events, `maxBytes` of pending segment files, or events older
 *   than `maxAgeMs`, the oldest events are dropped (the ack mark moves past them) and counted in
 *   `dropped()`, which is persisted, logged and reported; never silently.
 * Finished segments stay in memory while the pending events held there number at most `memoryEvents`; beyond
 * that only the segments being drained (head and live lane) and the one being written are, and the others are
 * read back from disk when the sink reaches them (a long outage's backlog does not grow the heap).
 */
export interface FileOutboxOptions {
  dir: string;
  /** Start a new segment file after this many events. */
  segmentMaxEvents?: number;
  /** Most pending events kept; the oldest beyond are dropped. Default unbounded. */
  maxEvents?: number;
  /** Most bytes of segment files holding pending events (whole segments are dropped). Default unbounded. */
  maxBytes?: number;
  /** Pending events older than this (since they were stored) are dropped. Default unbounded. */
  maxAgeMs?: number;
  /** Delivery keys not of the `<packet id>:<hash>` shape remembered (at least) for recognising redeliveries. */
  recentKeys?: number;
  /** Most pending events kept in memory in finished segments (see above). Default 50,000. */
  memoryEvents?: number;
  /** Share of each batch that goes to the live lane while a backlog drains. Default 0.5. */
  liveShare?: number;
  /** Pending events older than this make a backlog (and a live lane older than this is cut again). Default 2000. */
  liveAfterMs?: number;
  logger?: Logger;
  now?: () => number;
}

/** An event as the outbox holds it: its canonical JSON (written to disk, later sent as is) and its seq. */
interface StoredEvent extends OutboxEvent {
  at: number;
  key?: string;
}

interface Segment {
  file: string;
  firstSeq: number;
  lastSeq: number;
  /** Unacknowledged events in this segment. */
  pending: number;
  /** Append time of the oldest unacknowledged event (kept while `events` is unloaded). */
  oldestAt: number;
  /** Unacknowledged events in seq order, loaded lazily; null while only the metadata is in memory. */
  events: StoredEvent[] | null;
  eventCount: number;
  bytes: number;
}

interface AppendGroup {
  appends: { events: readonly StationEvent[]; key?: string }[];
  keys: string[];
  /** Set once the group is fsynced (before `done` resolves). */
  durable: boolean;
  done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

const ACK_FILE = 'ack.json';
const SEGMENT_RE = /^seg-(\d+)\.jsonl$/;
/** Fully acknowledged segments kept for their delivery keys. */
const KEEP_SEGMENTS = 2;

export async function openFileOutbox(options: FileOutboxOptions): Promise<Outbox> {
  const { dir } = options;
  const segmentMaxEvents = options.segmentMaxEvents ?? 10_000;
  const maxEvents = options.maxEvents ?? Infinity;
  const maxBytes = options.maxBytes ?? Infinity;
  const maxAgeMs = options.maxAgeMs ?? Infinity;
  const liveShare = Math.min(1, Math.max(0, options.liveShare ?? 0.5));
  const liveAfterMs = options.liveAfterMs ?? 2000;
  const memoryEvents = options.memoryEvents ?? 50_000;
  const log = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  await ensureDir(dir);

  const mark = await readAckMark(path.join(dir, ACK_FILE), log);
  let acked = AckedSeqs.from(mark.ackedUpTo, mark.ranges);
  let dropped = mark.dropped;
  // The append group a key was stored with; null for keys found on disk at start.
  const recent = new RecentKeys<AppendGroup | null>(options.recentKeys ?? 20_000);

  const segments: Segment[] = [];
  const names = (await readdir(dir)).filter((n) => SEGMENT_RE.test(n)).sort();
  for (const [i, name] of names.entries()) {
    const keep = i >= names.length - KEEP_SEGMENTS;
    const segment = await recoverSegment(path.join(dir, name), acked, keep, log, (key) => recent.set(key, null));
    if (segment) segments.push(segment);
  }
  let depth = segments.reduce((sum, s) => sum + s.pending, 0);
  let tail: { segment: Segment; handle: FileHandle } | null = null;
  let openGroup: AppendGroup | null = null;
  let flushing = false;
  let lock: Promise<unknown> = Promise.resolve();
  let closed = false;
  /** First seq of the live lane while a backlog drains; null when there is one lane. */
  let liveFrom: number | null = null;
  const listeners = new Set<() => void>();
  if (depth > 0)
    log.info('outbox recovered pending events', { depth, ackedUpTo: acked.upTo, segments: segments.length });

  // Every mutation of files or segment lists runs under this lock, one at a time.
  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = lock.then(fn);
    lock = result.catch(() => undefined);
    return result;
  };

  const lastSeq = () => segments.at(-1)?.lastSeq ?? acked.upTo;
  let lastQueuedSeq = lastSeq();

  const flush = async (group: AppendGroup) => {
    const at = now();
    const stored: StoredEvent[] = [];
    let text = '';
    for (const { events, key } of group.appends) {
      events.forEach((event, i) => {
        const k = i === 0 ? key : undefined;
        const json = JSON.stringify(event);
        stored.push(k === undefined ? { at, seq: event.seq, json } : { at, seq: event.seq, json, key: k });
        text += storedLine(at, json, k);
      });
    }
    if (stored.length === 0) return;
    const first = stored[0] as StoredEvent;
    if (!tail || tail.segment.eventCount >= segmentMaxEvents) await startSegment(first.seq, at);
    const current = tail as unknown as { segment: Segment; handle: FileHandle };
    const buffer = Buffer.from(text, 'utf8');
    try {
      await current.handle.write(buffer, 0, buffer.length, current.segment.bytes);
      await current.handle.datasync();
    } catch (error) {
      // Cut a partial write off again so later appends do not follow a torn line.
      await current.handle.truncate(current.segment.bytes).catch(() => undefined);
      throw error;
    }
    const seg = current.segment;
    seg.bytes += buffer.length;
    seg.eventCount += stored.length;
    seg.lastSeq = (stored.at(-1) as StoredEvent).seq;
    if (seg.pending === 0) seg.oldestAt = at;
    seg.pending += stored.length;
    if (seg.events) for (const s of stored) seg.events.push(s);
    depth += stored.length;
  };

  const startSegment = async (firstSeq: number, at: number) => {
    if (tail) {
      await tail.handle.close();
      // Beyond the memory budget the finished segment is read back from disk when the sink reaches it.
      const loaded = segments.reduce((sum, s) => sum + (s.events?.length ?? 0), 0);
      if (loaded > memoryEvents && segments.find((s) => s.pending > 0) !== tail.segment) tail.segment.events = null;
    }
    const file = path.join(dir, `seg-${String(firstSeq).padStart(16, '0')}.jsonl`);
    const handle = await open(file, 'a');
    await fsyncDir(dir);
    const segment: Segment = {
      file,
      firstSeq,
      lastSeq: firstSeq - 1,
      pending: 0,
      oldestAt: at,
      events: [],
      eventCount: 0,
      bytes: 0,
    };
    segments.push(segment);
    tail = { segment, handle };
    await removeAcknowledgedSegments();
  };

  /** Deletes fully acknowledged segments except the newest {@link KEEP_SEGMENTS}. */
  const removeAcknowledgedSegments = async () => {
    while (segments.length > KEEP_SEGMENTS && (segments[0] as Segment).pending === 0) {
      const head = segments.shift() as Segment;
      await unlink(head.file).catch(() => undefined);
    }
  };

  const runFlushes = () => {
    if (flushing || !openGroup) return;
    flushing = true;
    const group = openGroup;
    openGroup = null;
    void locked(async () => {
      await flush(group);
      await enforceBounds();
    })
      .then(
        () => {
          group.durable = true;
          // The recent keys refer to the group for a while: it must not keep its events alive meanwhile.
          group.appends = [];
          group.keys = [];
          group.resolve();
        },
        (error: unknown) => {
          for (const key of group.keys) if (recent.get(key) === group) recent.delete(key);
          group.reject(error);
        },
      )
      .finally(() => {
        flushing = false;
        listeners.forEach((l) => l());
        runFlushes();
      });
  };

  const loadEvents = async (segment: Segment): Promise<StoredEvent[]> => {
    if (!segment.events) {
      const { events } = await readSegment(segment.file, log);
      segment.events = events.filter((s) => !acked.has(s.seq));
    }
    return segment.events;
  };

  /** Removes the pending events with `from <= seq <= to` from memory (must run under the lock). */
  const removePending = async (from: number, to: number): Promise<void> => {
    for (const segment of segments) {
      if (segment.pending === 0 || segment.lastSeq < from) continue;
      if (segment.firstSeq > to) break;
      if (segment.firstSeq >= from && segment.lastSeq <= to) {
        depth -= segment.pending;
        segment.pending = 0;
        segment.events = tail?.segment === segment ? [] : null;
        continue;
      }
      const events = await loadEvents(segment);
      const keep = events.filter((s) => s.seq < from || s.seq > to);
      depth -= events.length - keep.length;
      segment.events = keep;
      segment.pending = keep.length;
      segment.oldestAt = keep[0]?.at ?? segment.oldestAt;
    }
  };

  /**
   * Acknowledges every event up to `upTo` and those in `range` (must run under the lock); `droppedNow` of them
   * were dropped by the bounds, not sent. Durable (ack.json) before anything changes in memory.
   */
  const acknowledge = async (upTo: number | null, range: SeqRange | null, droppedNow: number) => {
    const next = AckedSeqs.from(acked.upTo, acked.ranges);
    if (upTo !== null) next.advanceTo(upTo);
    if (range) next.add(range.from, range.to);
    if (next.upTo === acked.upTo && sameRanges(next.ranges, acked.ranges)) return;
    await writeFileAtomic(path.join(dir, ACK_FILE), ackFileText(next, dropped + droppedNow));
    // Removed with the old set still in force: a segment loaded on the way must still hold these events.
    if (upTo !== null && upTo > acked.upTo) await removePending(0, upTo);
    if (range) await removePending(range.from, range.to);
    acked = next;
    dropped += droppedNow;
    if (liveFrom !== null && acked.upTo >= liveFrom - 1) liveFrom = null;
    await removeAcknowledgedSegments();
  };

  /** Up to `max` pending events with `from <= seq < below`, oldest first, leaving out those in `skip`. */
  const pendingBetween = async (
    from: number,
    below: number,
    max: number,
    skip: SeqRange | null = null,
  ): Promise<StoredEvent[]> => {
    const out: StoredEvent[] = [];
    for (const segment of segments) {
      if (out.length >= max || segment.firstSeq >= below) break;
      if (segment.pending === 0 || segment.lastSeq < from) continue;
      const events = await loadEvents(segment);
      for (let i = firstIndexFrom(events, from); i < events.length && out.length < max; i++) {
        const s = events[i] as StoredEvent;
        if (s.seq >= below) break;
        if (skip && s.seq >= skip.from && s.seq <= skip.to) continue;
        out.push(s);
      }
    }
    return out;
  };

  /** The seq of the `n`-th oldest pending event. */
  const seqOfNthPending = async (n: number): Promise<number> => {
    let left = n;
    for (const segment of segments) {
      if (segment.pending === 0) continue;
      if (segment.pending < left) {
        left -= segment.pending;
        continue;
      }
      return ((await loadEvents(segment))[left - 1] as StoredEvent).seq;
    }
    return lastSeq();
  };

  const oldestPendingAt = (): number | null => {
    const head = segments.find((s) => s.pending > 0);
    if (!head) return null;
    return head.events?.[0]?.at ?? head.oldestAt;
  };

  const enforceBounds = async () => {
    let cutoff = acked.upTo;
    const reasons: string[] = [];
    if (depth > maxEvents) {
      cutoff = Math.max(cutoff, await seqOfNthPending(depth - maxEvents));
      reasons.push('maxEvents');
    }
    const pendingSegments = segments.filter((s) => s.pending > 0);
    let bytes = pendingSegments.reduce((sum, s) => sum + s.bytes, 0);
    for (const segment of pendingSegments) {
      if (bytes <= maxBytes || segment === tail?.segment) break;
      bytes -= segment.bytes;
      cutoff = Math.max(cutoff, segment.lastSeq);
      if (!reasons.includes('maxBytes')) reasons.push('maxBytes');
    }
    if (Number.isFinite(maxAgeMs)) {
      const limit = now() - maxAgeMs;
      for (const segment of pendingSegments) {
        if (segment.oldestAt >= limit) break;
        const old = (await loadEvents(segment)).filter((s) => s.at < limit);
        if (old.length === 0) break;
        cutoff = Math.max(cutoff, (old.at(-1) as StoredEvent).seq);
        if (!reasons.includes('maxAge')) reasons.push('maxAge');
        if (old.length < segment.pending) break;
      }
    }
    if (cutoff <= acked.upTo) return;
    const before = depth;
    const pendingUpTo = await countPendingUpTo(cutoff);
    await acknowledge(cutoff, null, pendingUpTo);
    log.error('outbox bound reached: dropped the oldest unsent events', {
      dropped: pendingUpTo,
      droppedTotal: dropped,
      depthBefore: before,
      reasons,
    });
  };

  const countPendingUpTo = async (cutoff: number): Promise<number> => {
    let n = 0;
    for (const segment of segments) {
      if (segment.pending === 0) continue;
      if (segment.lastSeq <= cutoff) n += segment.pending;
      else {
        n += (await loadEvents(segment)).filter((s) => s.seq <= cutoff).length;
        break;
      }
    }
    return n;
  };

  /**
   * The batch to send next: oldest first, or the two lanes while a backlog drains (see above). After a batch in
   * flight, each lane goes on where that batch's ends, and its live-lane events are left out (the lane may have
   * been cut meanwhile, putting them below the new one): the acknowledgement of the batch in flight, which comes
   * first, covers all of those, so no pending event is skipped or sent twice.
   */
  const composeBatch = async (max: number, after?: OutboxBatch): Promise<OutboxBatch> => {
    const at = now();
    const oldest = oldestPendingAt();
    const backlog = depth > max && oldest !== null && at - oldest > liveAfterMs;
    const olderFrom = (after?.backlogUpTo ?? 0) + 1;
    const inFlightLive = after?.live ?? null;
    if (!backlog) {
      liveFrom = null;
      const events = await pendingBetween(olderFrom, Infinity, max, inFlightLive);
      return { events, backlogUpTo: events.at(-1)?.seq ?? null, live: null };
    }
    if (liveFrom === null) {
      liveFrom = lastSeq() + 1;
    } else {
      const [liveOldest] = await pendingBetween(liveFrom, Infinity, 1);
      if (liveOldest && at - liveOldest.at > liveAfterMs) liveFrom = lastSeq() + 1;
    }
    const from = inFlightLive ? Math.max(liveFrom, inFlightLive.to + 1) : liveFrom;
    const live = await pendingBetween(from, Infinity, max);
    const older = await pendingBetween(
      olderFrom,
      liveFrom,
      max - Math.min(live.length, Math.ceil(max * liveShare)),
      inFlightLive,
    );
    const newer = live.slice(0, max - older.length);
    const lastNewer = newer.at(-1);
    return {
      events: [...older, ...newer],
      backlogUpTo: older.at(-1)?.seq ?? null,
      live: lastNewer ? { from, to: lastNewer.seq } : null,
    };
  };

  const ageTimer = Number.isFinite(maxAgeMs)
    ? setInterval(
        () => void locked(enforceBounds).catch((error: unknown) => log.error('outbox bound check failed', { error })),
        Math.min(60_000, Math.max(100, maxAgeMs / 10)),
      )
    : undefined;
  ageTimer?.unref();

  return {
    append(events, key) {
      if (closed) return Promise.reject(new Error('outbox is closed'));
      if (events.length === 0) return Promise.resolve();
      // Checked here, so one bad append fails alone rather than its whole group.
      let expected = lastQueuedSeq;
      for (const event of events) {
        if (event.seq <= expected) {
          return Promise.reject(new Error(`outbox append out of order: seq ${event.seq} after ${expected}`));
        }
        expected = event.seq;
      }
      lastQueuedSeq = expected;
      const group = openGroup ?? (openGroup = newGroup());
      group.appends.push(key === undefined ? { events } : { events, key });
      if (key !== undefined) {
        group.keys.push(key);
        recent.set(key, group);
      }
      runFlushes();
      return group.done;
    },

    whenStored(key) {
      const group = recent.get(key);
      if (group === undefined) return undefined;
      return group === null || group.durable ? Promise.resolve() : group.done;
    },

    peek(max) {
      return locked(async () =>
        (await pendingBetween(0, Infinity, max)).map((s) => JSON.parse(s.json) as StationEvent),
      );
    },

    ack(upToSeq) {
      return locked(() => acknowledge(upToSeq, null, 0));
    },

    nextBatch(max, after) {
      return locked(() => composeBatch(max, after));
    },

    ackBatch(batch) {
      return locked(() => acknowledge(batch.backlogUpTo, batch.live, 0));
    },

    dropped: () => dropped,

    depth: () => depth,

    oldestAgeMs(at = now()) {
      const oldest = oldestPendingAt();
      return oldest === null ? null : Math.max(0, at - oldest);
    },

    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    close() {
      closed = true;
      clearInterval(ageTimer);
      return locked(async () => {
        if (tail) await tail.handle.close();
        tail = null;
      });
    },
  };
}

function newGroup(): AppendGroup {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Every caller gets the rejection; this only keeps a group nobody waits for from being "unhandled".
  done.catch(() => undefined);
  return { appends: [], keys: [], durable: false, done, resolve, reject };
}

/** One segment line, byte for byte what `JSON.stringify({t, e, k})` gives, without the wrapper object. */
function storedLine(at: number, eventJson: string, key: string | undefined): string {
  return `{"t":${at},"e":${eventJson}${keySuffix(key)}}\n`;
}

const keySuffix = (key: string | undefined) => (key === undefined ? '' : `,"k":${JSON.stringify(key)}`);

/**
 * The event of a parsed segment line as stored: the JSON text it was written with (cut out of the line, so
 * it is not built again), or, for a line in another layout, the event serialised anew.
 */
function storedEvent(line: string, parsed: { t: number; e: StationEvent; k?: string }): StoredEvent {
  const prefix = `{"t":${parsed.t},"e":`;
  const suffix = `${keySuffix(parsed.k)}}`;
  const json =
    line.startsWith(prefix) && line.endsWith(suffix)
      ? line.slice(prefix.length, line.length - suffix.length)
      : JSON.stringify(parsed.e);
  return parsed.k === undefined
    ? { at: parsed.t, seq: parsed.e.seq, json }
    : { at: parsed.t, seq: parsed.e.seq, json, key: parsed.k };
}

/** Index of the first event with `seq >= from` (events are in seq order). */
function firstIndexFrom(events: readonly StoredEvent[], from: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid] as StoredEvent).seq < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sameRanges(a: readonly SeqRange[], b: readonly SeqRange[]): boolean {
  return a.length === b.length && a.every((r, i) => r.from === b[i]?.from && r.to === b[i]?.to);
}

function ackFileText(acked: AckedSeqs, dropped: number): string {
  const ranges = acked.ranges.map((r) => [r.from, r.to]);
  return `${JSON.stringify(ranges.length > 0 ? { ackedUpTo: acked.upTo, dropped, ranges } : { ackedUpTo: acked.upTo, dropped })}\n`;
}

interface AckMark {
  ackedUpTo: number;
  dropped: number;
  ranges: SeqRange[];
}

async function readAckMark(file: string, log: Logger): Promise<AckMark> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as {
      ackedUpTo?: unknown;
      dropped?: unknown;
      ranges?: unknown;
    };
    const mark = json.ackedUpTo;
    const dropped = typeof json.dropped === 'number' && Number.isSafeInteger(json.dropped) ? json.dropped : 0;
    if (typeof mark === 'number' && Number.isSafeInteger(mark) && mark >= 0) {
      const ranges = parseRanges(json.ranges, mark);
      // Unreadable ranges: their events are sent again, which the server deduplicates.
      if (ranges === null)
        log.warn('outbox ack ranges unreadable; resending the live-lane events above the mark', { file });
      return { ackedUpTo: mark, dropped, ranges: ranges ?? [] };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ackedUpTo: 0, dropped: 0, ranges: [] };
  }
  // Resending from the start is safe (the server deduplicates); skipping events would not be.
  log.warn('outbox ack file unreadable; resending all stored events', { file });
  return { ackedUpTo: 0, dropped: 0, ranges: [] };
}

/** `[[from, to], ...]` above the mark, or null when malformed; absent means none. */
function parseRanges(value: unknown, mark: number): SeqRange[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return null;
  const ranges: SeqRange[] = [];
  for (const r of value) {
    if (!Array.isArray(r) || r.length !== 2) return null;
    const [from, to] = r as unknown[];
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return null;
    if ((from as number) > (to as number) || (from as number) <= mark) return null;
    ranges.push({ from: from as number, to: to as number });
  }
  return ranges;
}

/**
 * Reads a segment, cutting off a torn last line, and reports its delivery keys; a fully
 * acknowledged segment is deleted (returns null) unless `keep` (one of the newest).
 */
async function recoverSegment(
  file: string,
  acked: AckedSeqs,
  keep: boolean,
  log: Logger,
  onKey: (key: string) => void,
): Promise<Segment | null> {
  const { events, validBytes, totalBytes } = await readSegment(file, log);
  if (validBytes < totalBytes) {
    log.warn('outbox segment had a torn last line (crash during write); cut it off', {
      file,
      bytes: totalBytes - validBytes,
    });
    const handle = await open(file, 'r+');
    try {
      await handle.truncate(validBytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  const pending = events.filter((s) => !acked.has(s.seq));
  if (events.length === 0 || (pending.length === 0 && !keep)) {
    await unlink(file);
    return null;
  }
  for (const s of events) if (s.key !== undefined) onKey(s.key);
  const first = events[0] as StoredEvent;
  const last = events.at(-1) as StoredEvent;
  return {
    file,
    firstSeq: first.seq,
    lastSeq: last.seq,
    pending: pending.length,
    oldestAt: (pending[0] ?? last).at,
    events: null,
    eventCount: events.length,
    bytes: validBytes,
  };
}

async function readSegment(
  file: string,
  log: Logger,
): Promise<{ events: StoredEvent[]; validBytes: number; totalBytes: number }> {
  const buffer = await readFile(file);
  const events: StoredEvent[] = [];
  let offset = 0;
  let validBytes = 0;
  let corrupt = 0;
  while (offset < buffer.length) {
    const newline = buffer.indexOf(0x0a, offset);
    if (newline === -1) break; // torn last line: never fully written, so never acknowledged to anyone
    const line = buffer.toString('utf8', offset, newline);
    offset = newline + 1;
    validBytes = offset;
    try {
      events.push(storedEvent(line, JSON.parse(line) as { t: number; e: StationEvent; k?: string }));
    } catch {
      corrupt += 1;
    }
  }
  if (corrupt > 0) log.error('outbox segment has unreadable lines; they are skipped', { file, lines: corrupt });
  return { events, validBytes, totalBytes: buffer.length };
}
