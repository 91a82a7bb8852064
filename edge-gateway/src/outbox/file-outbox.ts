import type { FileHandle } from 'node:fs/promises';
import { open, readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { StationEvent } from '@floorboard/shared';
import { ensureDir, fsyncDir, writeFileAtomic } from '../durable-file.js';
import type { Logger } from '../logging/logger.js';
import { silentLogger } from '../logging/logger.js';
import type { Outbox } from './outbox.js';

/**
 * A file-backed, append-only outbox:
 * - events go to segment files of JSON lines (`seg-<first seq>.jsonl`), one `write` + `fdatasync`
 *   per group of appends (appends that arrive while a flush runs are committed together);
 * - `ack.json` holds the highest acknowledged seq and the number of events dropped by the bounds,
 *   replaced atomically; a segment is deleted once all its events are acknowledged and two newer
 *   segments exist (the newest two are kept, so the delivery keys of recent messages survive a
 *   restart and a redelivered message is still recognised);
 * - on open, a torn last line (crash mid-write) is cut off, and everything above the ack mark is
 *   pending again. A crash between the server's commit and our ack means a resend, which the
 *   server ignores as a duplicate of gatewayId+seq;
 * - bounds: above `maxEvents` pending events, `maxBytes` of pending segment files, or events older
 *   than `maxAgeMs`, the oldest events are dropped (the ack mark moves past them) and counted in
 *   `dropped()`, which is persisted, logged and reported; never silently.
 * Only the segment being drained and the one being written are held in memory.
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
  /** How many recent delivery keys are remembered for recognising redeliveries. */
  recentKeys?: number;
  logger?: Logger;
  now?: () => number;
}

interface StoredEvent {
  at: number;
  event: StationEvent;
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
  /** Unacknowledged events, loaded lazily; null while only the metadata is in memory. */
  events: StoredEvent[] | null;
  eventCount: number;
  bytes: number;
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
  const recentKeyLimit = options.recentKeys ?? 20_000;
  const log = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  await ensureDir(dir);

  const mark = await readAckMark(path.join(dir, ACK_FILE), log);
  let ackedUpTo = mark.ackedUpTo;
  let dropped = mark.dropped;
  // Insertion-ordered: the oldest key is the first; a pending append's promise, null once durable.
  const recent = new Map<string, Promise<void> | null>();
  const remember = (key: string, value: Promise<void> | null) => {
    recent.delete(key);
    recent.set(key, value);
    if (recent.size > recentKeyLimit) recent.delete(recent.keys().next().value as string);
  };

  const segments: Segment[] = [];
  const names = (await readdir(dir)).filter((n) => SEGMENT_RE.test(n)).sort();
  for (const [i, name] of names.entries()) {
    const keep = i >= names.length - KEEP_SEGMENTS;
    const segment = await recoverSegment(path.join(dir, name), ackedUpTo, keep, log, (key) => remember(key, null));
    if (segment) segments.push(segment);
  }
  let depth = segments.reduce((sum, s) => sum + s.pending, 0);
  let tail: { segment: Segment; handle: FileHandle } | null = null;
  type Queued = { events: readonly StationEvent[]; key?: string; resolve: () => void; reject: (e: unknown) => void };
  let queued: Queued[] = [];
  let flushing = false;
  let lock: Promise<unknown> = Promise.resolve();
  let closed = false;
  const listeners = new Set<() => void>();
  if (depth > 0) log.info('outbox recovered pending events', { depth, ackedUpTo, segments: segments.length });

  // Every mutation of files or segment lists runs under this lock, one at a time.
  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = lock.then(fn);
    lock = result.catch(() => undefined);
    return result;
  };

  const lastSeq = () => segments.at(-1)?.lastSeq ?? ackedUpTo;

  const flush = async (batch: readonly Queued[]) => {
    const stored: StoredEvent[] = [];
    const at = now();
    let expected = lastSeq();
    for (const item of batch) {
      item.events.forEach((event, i) => {
        if (event.seq <= expected) throw new Error(`outbox append out of order: seq ${event.seq} after ${expected}`);
        expected = event.seq;
        stored.push(i === 0 && item.key !== undefined ? { at, event, key: item.key } : { at, event });
      });
    }
    if (stored.length === 0) return;
    const first = stored[0] as StoredEvent;
    if (!tail || tail.segment.eventCount >= segmentMaxEvents) await startSegment(first.event.seq, at);
    const current = tail as unknown as { segment: Segment; handle: FileHandle };
    const text = stored
      .map(
        (s) => `${JSON.stringify(s.key === undefined ? { t: s.at, e: s.event } : { t: s.at, e: s.event, k: s.key })}\n`,
      )
      .join('');
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
    seg.lastSeq = expected;
    if (seg.pending === 0) seg.oldestAt = at;
    seg.pending += stored.length;
    seg.events?.push(...stored);
    depth += stored.length;
  };

  const startSegment = async (firstSeq: number, at: number) => {
    if (tail) {
      await tail.handle.close();
      // The finished segment is read back from disk when the sink reaches it.
      if (segments.find((s) => s.pending > 0) !== tail.segment) tail.segment.events = null;
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
    if (flushing || queued.length === 0) return;
    flushing = true;
    const batch = queued;
    queued = [];
    void locked(async () => {
      await flush(batch);
      await enforceBounds();
    })
      .then(
        () => batch.forEach((b) => b.resolve()),
        (error: unknown) => batch.forEach((b) => b.reject(error)),
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
      segment.events = events.filter((s) => s.event.seq > ackedUpTo);
    }
    return segment.events;
  };

  /** Moves the ack mark to `upToSeq` (must run under the lock); `droppedNow` events were dropped, not sent. */
  const advance = async (upToSeq: number, droppedNow: number) => {
    if (upToSeq <= ackedUpTo) return;
    await writeFileAtomic(
      path.join(dir, ACK_FILE),
      `${JSON.stringify({ ackedUpTo: upToSeq, dropped: dropped + droppedNow })}\n`,
    );
    ackedUpTo = upToSeq;
    dropped += droppedNow;
    for (const segment of segments) {
      if (segment.pending === 0) continue;
      if (segment.lastSeq <= upToSeq) {
        depth -= segment.pending;
        segment.pending = 0;
        segment.events = tail?.segment === segment ? [] : null;
        continue;
      }
      const keep = (await loadEvents(segment)).filter((s) => s.event.seq > upToSeq);
      depth -= segment.pending - keep.length;
      segment.events = keep;
      segment.pending = keep.length;
      segment.oldestAt = keep[0]?.at ?? segment.oldestAt;
      break;
    }
    await removeAcknowledgedSegments();
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
      return ((await loadEvents(segment))[left - 1] as StoredEvent).event.seq;
    }
    return lastSeq();
  };

  const enforceBounds = async () => {
    let cutoff = ackedUpTo;
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
        cutoff = Math.max(cutoff, (old.at(-1) as StoredEvent).event.seq);
        if (!reasons.includes('maxAge')) reasons.push('maxAge');
        if (old.length < segment.pending) break;
      }
    }
    if (cutoff <= ackedUpTo) return;
    const before = depth;
    const pendingUpTo = await countPendingUpTo(cutoff);
    await advance(cutoff, pendingUpTo);
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
        n += (await loadEvents(segment)).filter((s) => s.event.seq <= cutoff).length;
        break;
      }
    }
    return n;
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
      const stored = new Promise<void>((resolve, reject) => {
        queued.push({ events, key, resolve, reject });
        runFlushes();
      });
      if (key !== undefined) {
        remember(key, stored);
        stored.then(
          () => recent.get(key) === stored && recent.set(key, null),
          () => recent.get(key) === stored && recent.delete(key),
        );
      }
      return stored;
    },

    whenStored(key) {
      if (!recent.has(key)) return undefined;
      return recent.get(key) ?? Promise.resolve();
    },

    peek(max) {
      return locked(async () => {
        const out: StationEvent[] = [];
        for (const segment of segments) {
          if (out.length >= max) break;
          if (segment.pending === 0) continue;
          for (const s of await loadEvents(segment)) {
            if (out.length >= max) break;
            out.push(s.event);
          }
        }
        return out;
      });
    },

    ack(upToSeq) {
      return locked(() => advance(upToSeq, 0));
    },

    dropped: () => dropped,

    depth: () => depth,

    oldestAgeMs(at = now()) {
      const head = segments.find((s) => s.pending > 0);
      if (!head) return null;
      const oldest = head.events?.[0]?.at ?? head.oldestAt;
      return Math.max(0, at - oldest);
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

async function readAckMark(file: string, log: Logger): Promise<{ ackedUpTo: number; dropped: number }> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as { ackedUpTo?: unknown; dropped?: unknown };
    const mark = json.ackedUpTo;
    const dropped = typeof json.dropped === 'number' && Number.isSafeInteger(json.dropped) ? json.dropped : 0;
    if (typeof mark === 'number' && Number.isSafeInteger(mark) && mark >= 0) return { ackedUpTo: mark, dropped };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ackedUpTo: 0, dropped: 0 };
  }
  // Resending from the start is safe (the server deduplicates); skipping events would not be.
  log.warn('outbox ack file unreadable; resending all stored events', { file });
  return { ackedUpTo: 0, dropped: 0 };
}

/**
 * Reads a segment, cutting off a torn last line, and reports its delivery keys; a fully
 * acknowledged segment is deleted (returns null) unless `keep` (one of the newest).
 */
async function recoverSegment(
  file: string,
  ackedUpTo: number,
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
  const pending = events.filter((s) => s.event.seq > ackedUpTo);
  if (events.length === 0 || (pending.length === 0 && !keep)) {
    await unlink(file);
    return null;
  }
  for (const s of events) if (s.key !== undefined) onKey(s.key);
  const first = events[0] as StoredEvent;
  const last = events.at(-1) as StoredEvent;
  return {
    file,
    firstSeq: first.event.seq,
    lastSeq: last.event.seq,
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
      const parsed = JSON.parse(line) as { t: number; e: StationEvent; k?: string };
      events.push(
        parsed.k === undefined ? { at: parsed.t, event: parsed.e } : { at: parsed.t, event: parsed.e, key: parsed.k },
      );
    } catch {
      corrupt += 1;
    }
  }
  if (corrupt > 0) log.error('outbox segment has unreadable lines; they are skipped', { file, lines: corrupt });
  return { events, validBytes, totalBytes: buffer.length };
}
