import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { stationEventSchema } from '@floorboard/shared';
import type { DecodedEvent } from '../inputs/input.js';
import { openFileOutbox } from '../outbox/file-outbox.js';
import { createPipeline } from './pipeline.js';
import { openSeqAllocator } from './seq-allocator.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fb-pipe-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const decoded = (i: number): DecodedEvent => ({
  line: 'l',
  station: 's',
  ts: Date.UTC(2025, 0, 1) + i,
  type: 'cycle',
  cycleMs: 1000 + i,
  source: 'floorboard-json',
});

describe('pipeline', () => {
  it('stamps gatewayId and increasing seq, in submission order, into valid canonical events', async () => {
    const outbox = await openFileOutbox({ dir: path.join(dir, 'outbox') });
    const pipeline = createPipeline({ gatewayId: 'gw-1', seq: await openSeqAllocator(dir, 3), outbox });
    await Promise.all([
      pipeline.submit([decoded(0), decoded(1)]),
      pipeline.submit([]),
      pipeline.submit([decoded(2)]),
      pipeline.submit([decoded(3), decoded(4), decoded(5), decoded(6)]),
    ]);
    await pipeline.drain();
    const events = await outbox.peek(100);
    expect(events.map((e) => [e.seq, e.cycleMs])).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => [i + 1, 1000 + i]));
    for (const e of events) expect(stationEventSchema.safeParse(e).success).toBe(true);
    expect(events[0]?.gatewayId).toBe('gw-1');
  });

  it('keeps every field of the decoded event (optional ones included) and adds nothing else', async () => {
    const outbox = await openFileOutbox({ dir: path.join(dir, 'outbox') });
    const pipeline = createPipeline({ gatewayId: 'gw-1', seq: await openSeqAllocator(dir), outbox });
    const full: DecodedEvent = {
      line: 'l',
      station: 's',
      ts: Date.UTC(2025, 0, 1),
      type: 'count',
      state: 'down',
      reason: 'jam',
      good: 2,
      scrap: 1,
      cycleMs: 900,
      historical: true,
      source: 'sparkplug',
    };
    await pipeline.submit([full, { ...full, historical: false }]);
    expect(await outbox.peek(10)).toEqual([
      { ...full, gatewayId: 'gw-1', seq: 1 },
      { ...full, historical: false, gatewayId: 'gw-1', seq: 2 },
    ]);
  });
});
