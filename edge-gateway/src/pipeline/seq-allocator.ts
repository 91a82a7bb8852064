import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureDir, writeFileAtomic } from '../durable-file.js';

/**
 * Hands out strictly increasing sequence numbers that are never reused, even across SIGKILL or
 * power loss: before a number is handed out, the end of the block it belongs to is persisted
 * (`reservedUpTo`, written atomically with fsync). After a restart numbering resumes above the
 * last reserved mark, so at most one block of numbers is skipped and none is repeated.
 * The server deduplicates on gatewayId+seq, so reuse would silently drop real events.
 */
export interface SeqAllocator {
  /** Reserves `count` consecutive numbers and returns the first. */
  allocate(count: number): Promise<number>;
  /**
   * The same without waiting, when the numbers lie inside the block reserved on disk already and no
   * `allocate` is in progress; undefined otherwise (then call `allocate`).
   */
  tryAllocate(count: number): number | undefined;
  /** The last number handed out (0 if none yet in this process and none before). */
  lastAllocated(): number;
  /** Waits for a reservation being written (so a later allocator on the same directory never races it). */
  close(): Promise<void>;
}

export const SEQ_FILE = 'seq.json';

/**
 * `blockSize` numbers are reserved per write. Once less than half a block is left, the next block is reserved in
 * the background, so at a steady rate `tryAllocate` keeps succeeding and the numbers never wait for a disk write;
 * a restart skips at most the rest of the reservation (under two blocks).
 */
export async function openSeqAllocator(dataDir: string, blockSize = 10_000): Promise<SeqAllocator> {
  await ensureDir(dataDir);
  const file = path.join(dataDir, SEQ_FILE);
  let reservedUpTo = await readReservedMark(file);
  let last = reservedUpTo;
  let chain: Promise<unknown> = Promise.resolve();
  let allocating = 0;
  // The one reservation being written (never two at once, so the mark on disk only grows).
  let reserving: Promise<void> | null = null;

  /** Resolves once the mark on disk is at least `needed`; a number is handed out only below the durable mark. */
  const reserve = async (needed: number): Promise<void> => {
    while (reservedUpTo < needed) {
      if (!reserving) {
        const mark = Math.max(needed, reservedUpTo + blockSize);
        reserving = writeFileAtomic(file, `${JSON.stringify({ reservedUpTo: mark })}\n`)
          .then(() => {
            reservedUpTo = mark;
          })
          .finally(() => {
            reserving = null;
          });
      }
      await reserving;
    }
  };

  const reserveAhead = () => {
    // A failure here surfaces in the `allocate` that needs the numbers (it writes again and throws).
    if (!reserving && reservedUpTo - last < blockSize / 2) void reserve(reservedUpTo + 1).catch(() => undefined);
  };

  const allocate = async (count: number): Promise<number> => {
    if (!Number.isInteger(count) || count < 1) throw new Error(`cannot allocate ${count} sequence numbers`);
    await reserve(last + count);
    const first = last + 1;
    last += count;
    reserveAhead();
    return first;
  };

  return {
    // Serialised so two callers never reserve on top of each other's pending write.
    allocate(count) {
      allocating += 1;
      const result = chain.then(() => allocate(count)).finally(() => (allocating -= 1));
      chain = result.catch(() => undefined);
      return result;
    },
    tryAllocate(count) {
      if (allocating > 0 || !Number.isInteger(count) || count < 1 || last + count > reservedUpTo) return undefined;
      const first = last + 1;
      last += count;
      reserveAhead();
      return first;
    },
    lastAllocated: () => last,
    async close() {
      await chain;
      await reserving?.catch(() => undefined);
    },
  };
}

async function readReservedMark(file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let mark: unknown;
  try {
    mark = (JSON.parse(text) as { reservedUpTo?: unknown }).reservedUpTo;
  } catch {
    mark = undefined;
  }
  // Guessing a start here could reuse numbers the server already holds; refuse instead.
  if (typeof mark !== 'number' || !Number.isSafeInteger(mark) || mark < 0) {
    throw new Error(`${file} is corrupt; move it aside and restart with a new GATEWAY_ID, or restore it`);
  }
  return mark;
}
