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
 * - `ack.json` holds the highest acknowledged seq, replaced atomically; a segment is deleted once
 *   all its events are acknowledged;
 * - on open, a torn last line (crash mid-write) is cut off, and everything above the ack mark is
 *   pending again. A crash between the server's commit and our ack means a resend, which the
 *   server ignores as a duplicate of gatewayId+seq.
 * Only the segment being drained and the one being written are held in memory.
 */
export interface FileOutboxOptions {
  dir: string;
  /** Start a new segment file after this many events. */
  segmentMaxEvents?: number;
  logger?: Logger;
  now?: () => number;
}

interface StoredEvent {
  at: number;
  event: StationEvent;
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

export async function openFileOutbox(options: FileOutboxOptions): Promise<Outbox> {
  const { dir } = options;
  const segmentMaxEvents = options.segmentMaxEvents ?? 10_000;
  const log = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  await ensureDir(dir);

  let ackedUpTo = await readAckMark(path.join(dir, ACK_FILE), log);
  const segments: Segment[] = [];
  for (const name of (await readdir(dir)).filter((n) => SEGMENT_RE.test(n)).sort()) {
    const segment = await recoverSegment(path.join(dir, name), ackedUpTo, log);
    if (segment) segments.push(segment);
  }
  let depth = segments.reduce((sum, s) => sum + s.pending, 0);
  let tail: { segment: Segment; handle: FileHandle } | null = null;
  let queued: { events: readonly StationEvent[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
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

  const flush = async (batch: readonly { events: readonly StationEvent[] }[]) => {
    const stored: StoredEvent[] = [];
    const at = now();
    let expected = lastSeq();
    for (const item of batch) {
      for (const event of item.events) {
        if (event.seq <= expected) throw new Error(`outbox append out of order: seq ${event.seq} after ${expected}`);
        expected = event.seq;
        stored.push({ at, event });
      }
    }
    if (stored.length === 0) return;
    const first = stored[0] as StoredEvent;
    if (!tail || tail.segment.eventCount >= segmentMaxEvents) await startSegment(first.event.seq, at);
    const current = tail as { segment: Segment; handle: FileHandle };
    const text = stored.map((s) => `${JSON.stringify({ t: s.at, e: s.event })}\n`).join('');
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
      if (segments[0] !== tail.segment) tail.segment.events = null;
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
  };

  const runFlushes = () => {
    if (flushing || queued.length === 0) return;
    flushing = true;
    const batch = queued;
    queued = [];
    void locked(() => flush(batch))
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

  return {
    append(events) {
      if (closed) return Promise.reject(new Error('outbox is closed'));
      if (events.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queued.push({ events, resolve, reject });
        runFlushes();
      });
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
      return locked(async () => {
        if (upToSeq <= ackedUpTo) return;
        await writeFileAtomic(path.join(dir, ACK_FILE), `${JSON.stringify({ ackedUpTo: upToSeq })}\n`);
        ackedUpTo = upToSeq;
        while (segments.length > 0) {
          const head = segments[0] as Segment;
          if (head.lastSeq <= upToSeq) {
            depth -= head.pending;
            segments.shift();
            if (tail?.segment === head) {
              await tail.handle.close();
              tail = null;
            }
            await unlink(head.file);
            continue;
          }
          const keep = (await loadEvents(head)).filter((s) => s.event.seq > upToSeq);
          depth -= head.pending - keep.length;
          head.events = keep;
          head.pending = keep.length;
          head.oldestAt = keep[0]?.at ?? head.oldestAt;
          break;
        }
      });
    },

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
      return locked(async () => {
        if (tail) await tail.handle.close();
        tail = null;
      });
    },
  };
}

async function readAckMark(file: string, log: Logger): Promise<number> {
  try {
    const mark = (JSON.parse(await readFile(file, 'utf8')) as { ackedUpTo?: unknown }).ackedUpTo;
    if (typeof mark === 'number' && Number.isSafeInteger(mark) && mark >= 0) return mark;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
  }
  // Resending from the start is safe (the server deduplicates); skipping events would not be.
  log.warn('outbox ack file unreadable; resending all stored events', { file });
  return 0;
}

/** Reads a segment, cutting off a torn last line; returns null (and deletes it) when fully acknowledged. */
async function recoverSegment(file: string, ackedUpTo: number, log: Logger): Promise<Segment | null> {
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
  if (pending.length === 0) {
    await unlink(file);
    return null;
  }
  const first = events[0] as StoredEvent;
  const last = events.at(-1) as StoredEvent;
  return {
    file,
    firstSeq: first.event.seq,
    lastSeq: last.event.seq,
    pending: pending.length,
    oldestAt: (pending[0] as StoredEvent).at,
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
      const parsed = JSON.parse(line) as { t: number; e: StationEvent };
      events.push({ at: parsed.t, event: parsed.e });
    } catch {
      corrupt += 1;
    }
  }
  if (corrupt > 0) log.error('outbox segment has unreadable lines; they are skipped', { file, lines: corrupt });
  return { events, validBytes, totalBytes: buffer.length };
}
