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
    await seq.allocate(1);
    expect(JSON.parse(await readFile(path.join(dir, SEQ_FILE), 'utf8'))).toEqual({ reservedUpTo: 10 });
    await seq.allocate(9);
    expect(JSON.parse(await readFile(path.join(dir, SEQ_FILE), 'utf8'))).toEqual({ reservedUpTo: 10 });
    await seq.allocate(1);
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
    }
    expect(handedOut.length).toBeGreaterThan(100);
    for (let i = 1; i < handedOut.length; i++) expect(handedOut[i]).toBeGreaterThan(handedOut[i - 1] as number);
  });

  it('serialises concurrent callers', async () => {
    const seq = await openSeqAllocator(dir, 4);
    const firsts = await Promise.all(Array.from({ length: 20 }, () => seq.allocate(3)));
    expect(firsts).toEqual(Array.from({ length: 20 }, (_, i) => 1 + i * 3));
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
