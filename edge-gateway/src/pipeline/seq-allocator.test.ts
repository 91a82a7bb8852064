import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openSeqAllocator, SEQ_FILE } from './seq-allocator.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fb-seq-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openSeqAllocator', () => {
  it('hands out strictly increasing numbers starting at 1', async () => {
    const seq = await openSeqAllocator(dir, 10);
    const firsts = [await seq.allocate(1), await seq.allocate(3), await seq.allocate(25), await seq.allocate(1)];
    expect(firsts).toEqual([1, 2, 5, 30]);
    expect(seq.lastAllocated()).toBe(30);
  });

  it('persists the reservation before handing out a number from a new block', async () => {
    const seq = await openSeqAllocator(dir, 10);
    const mark = async () =>
      (JSON.parse(await readFile(path.join(dir, SEQ_FILE), 'utf8')) as { reservedUpTo: number }).reservedUpTo;
    await seq.allocate(1);
    expect(await mark()).toBe(10);
    for (const count of [4, 5, 1, 7, 3, 12, 1, 1, 30]) {
      const fast = seq.tryAllocate(count);
      const first = fast ?? (await seq.allocate(count));
      expect(seq.lastAllocated()).toBe(first + count - 1);
      expect(await mark()).toBeGreaterThanOrEqual(seq.lastAllocated());
    }
  });

  it('reserves the next block in the background once half of the current one is used', async () => {
    const seq = await openSeqAllocator(dir, 10);
    expect(await seq.allocate(6)).toBe(1);
    expect(seq.tryAllocate(4)).toBe(7);
    // Numbers 11-20 come without an allocate that waits, once the reservation made in the background has landed.
    let next = seq.tryAllocate(1);
    while (next === undefined) {
      await new Promise((resolve) => setImmediate(resolve));
      next = seq.tryAllocate(1);
    }
    expect(next).toBe(11);
    expect(JSON.parse(await readFile(path.join(dir, SEQ_FILE), 'utf8'))).toEqual({ reservedUpTo: 20 });
  });

  it('never reuses a number across restarts, whenever the process dies', async () => {
    // A process killed at any point leaves only what it already wrote; the allocator object is
    // simply abandoned here, exactly as SIGKILL abandons it.
    const handedOut: number[] = [];
    for (let life = 0; life < 20; life++) {
      const seq = await openSeqAllocator(dir, 7);
      const calls = (life * 5) % 13;
      for (let i = 0; i < calls; i++) {
        const count = 1 + ((life + i) % 4);
        const first = await seq.allocate(count);
        for (let n = first; n < first + count; n++) handedOut.push(n);
      }
      // Only so this life's background reservation is not still writing when the next life opens the file: a
      // process killed mid-write leaves a temp file behind, which the test below covers.
      await seq.close();
    }
    expect(handedOut.length).toBeGreaterThan(100);
    for (let i = 1; i < handedOut.length; i++) expect(handedOut[i]).toBeGreaterThan(handedOut[i - 1] as number);
  });

  it('serialises concurrent callers', async () => {
    const seq = await openSeqAllocator(dir, 4);
    const firsts = await Promise.all(Array.from({ length: 20 }, () => seq.allocate(3)));
    expect(firsts).toEqual(Array.from({ length: 20 }, (_, i) => 1 + i * 3));
    await seq.close();
    const again = await openSeqAllocator(dir, 4);
    expect(await again.allocate(1)).toBeGreaterThan(60);
  });

  it('ignores a leftover temp file from a crash mid-write', async () => {
    const seq = await openSeqAllocator(dir, 10);
    await seq.allocate(1);
    await writeFile(path.join(dir, `${SEQ_FILE}.tmp`), '{"reservedUp');
    const again = await openSeqAllocator(dir, 10);
    expect(await again.allocate(1)).toBe(11);
  });

  it('refuses to guess when the mark is corrupt', async () => {
    await writeFile(path.join(dir, SEQ_FILE), 'garbage');
    await expect(openSeqAllocator(dir)).rejects.toThrow(/corrupt/);
  });
});
