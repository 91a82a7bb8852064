import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { StationEvent } from '@floorboard/shared';
import { openFileOutbox } from './file-outbox.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fb-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const T = Date.UTC(2025, 0, 6);
const event = (seq: number): StationEvent => ({
  gatewayId: 'gw-test',
  seq,
  line: 'l',
  station: 's',
  ts: T + seq,
  type: 'count',
  good: 1,
  scrap: 0,
  source: 'floorboard-json',
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => event(from + i));
const seqs = (events: readonly { seq: number }[]) => events.map((e) => e.seq);
const segmentFiles = async () => (await readdir(dir)).filter((f) => f.startsWith('seg-')).sort();

describe('file outbox', () => {
  it('returns events oldest first until acknowledged', async () => {
    const outbox = await openFileOutbox({ dir });
    await outbox.append(range(1, 5));
    await outbox.append(range(6, 8));
    expect(outbox.depth()).toBe(8);
    expect(seqs(await outbox.peek(3))).toEqual([1, 2, 3]);
    expect(seqs(await outbox.peek(100))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await outbox.ack(3);
    expect(outbox.depth()).toBe(5);
    expect(seqs(await outbox.peek(2))).toEqual([4, 5]);
    await outbox.ack(8);
    expect(outbox.depth()).toBe(0);
    expect(await outbox.peek(10)).toEqual([]);
    expect(outbox.oldestAgeMs()).toBeNull();
    await outbox.close();
  });

  it('hands out each event as the JSON it was appended as, from memory and from disk after a restart', async () => {
    const odd: StationEvent = {
      ...event(3),
      type: 'state',
      state: 'down',
      reason: 'quote " backslash \\ "e": },"k":"x" ü',
      good: undefined,
      scrap: undefined,
    };
    const events = [event(1), event(2), odd];
    // The first segment is unloaded once finished (no memory budget) and read back from disk.
    const first = await openFileOutbox({ dir, segmentMaxEvents: 2, memoryEvents: 0 });
    await first.append(events.slice(0, 2), '7:keyA');
    await first.append(events.slice(2), '8:keyB');
    const expected = events.map((e) => ({ seq: e.seq, json: JSON.stringify(e) }));
    expect((await first.nextBatch(10)).events.map(({ seq, json }) => ({ seq, json }))).toEqual(expected);
    const reopened = await openFileOutbox({ dir });
    expect((await reopened.nextBatch(10)).events.map(({ seq, json }) => ({ seq, json }))).toEqual(expected);
    expect(await reopened.peek(10)).toEqual(events.map((e) => JSON.parse(JSON.stringify(e)) as StationEvent));
    await reopened.close();
  });

  it('reads a segment line in another field order too', async () => {
    const e = event(1);
    await writeFile(path.join(dir, 'seg-0000000000000001.jsonl'), `${JSON.stringify({ e, k: '1:k', t: T })}\n`);
    const outbox = await openFileOutbox({ dir });
    expect((await outbox.nextBatch(10)).events.map(({ seq, json }) => ({ seq, json }))).toEqual([
      { seq: 1, json: JSON.stringify(e) },
    ]);
    expect(outbox.whenStored('1:k')).toBeDefined();
    await outbox.close();
  });

  it('keeps unacknowledged events across a restart and drops acknowledged ones', async () => {
    const first = await openFileOutbox({ dir });
    await first.append(range(1, 10));
    await first.ack(4);
    // No close: the process "dies" here.
    const second = await openFileOutbox({ dir });
    expect(second.depth()).toBe(6);
    expect(seqs(await second.peek(100))).toEqual([5, 6, 7, 8, 9, 10]);
    expect(await second.peek(1)).toEqual([event(5)]);
    await second.append(range(11, 12));
    expect(seqs(await second.peek(100))).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    await second.close();
  });

  it('cuts off a torn last line left by a crash mid-write', async () => {
    const first = await openFileOutbox({ dir });
    await first.append(range(1, 3));
    const [segment] = await segmentFiles();
    await appendFile(path.join(dir, segment as string), '{"t":1,"e":{"gatewayId":"gw-te');
    const second = await openFileOutbox({ dir });
    expect(seqs(await second.peek(100))).toEqual([1, 2, 3]);
    await second.append(range(4, 4));
    const third = await openFileOutbox({ dir });
    expect(seqs(await third.peek(100))).toEqual([1, 2, 3, 4]);
  });

  it('rolls segments and deletes acknowledged ones except the newest two', async () => {
    const outbox = await openFileOutbox({ dir, segmentMaxEvents: 4 });
    for (let seq = 1; seq <= 10; seq += 2) await outbox.append(range(seq, seq + 1));
    expect(await segmentFiles()).toHaveLength(3);
    expect(seqs(await outbox.peek(100))).toEqual(range(1, 10).map((e) => e.seq));
    await outbox.ack(5);
    expect(await segmentFiles()).toHaveLength(2);
    const reopened = await openFileOutbox({ dir, segmentMaxEvents: 4 });
    expect(reopened.depth()).toBe(5);
    expect(seqs(await reopened.peek(3))).toEqual([6, 7, 8]);
    await reopened.ack(10);
    expect(reopened.depth()).toBe(0);
    expect(await segmentFiles()).toHaveLength(2);
    await reopened.append(range(11, 11));
    expect(seqs(await reopened.peek(10))).toEqual([11]);
  });

  it('groups concurrent appends and keeps their order', async () => {
    const outbox = await openFileOutbox({ dir });
    await Promise.all(Array.from({ length: 50 }, (_, i) => outbox.append([event(i + 1)])));
    expect(seqs(await outbox.peek(100))).toEqual(range(1, 50).map((e) => e.seq));
  });

  it('rejects events out of seq order', async () => {
    const outbox = await openFileOutbox({ dir });
    await outbox.append(range(5, 6));
    await expect(outbox.append([event(6)])).rejects.toThrow(/out of order/);
    await outbox.append([event(7)]);
    expect(seqs(await outbox.peek(10))).toEqual([5, 6, 7]);
  });

  it('reports the age of the oldest unacknowledged event and notifies on append', async () => {
    let now = 1_000;
    const outbox = await openFileOutbox({ dir, now: () => now });
    let notified = 0;
    outbox.onAppend(() => (notified += 1));
    await outbox.append([event(1)]);
    now = 3_000;
    await outbox.append([event(2)]);
    now = 4_500;
    expect(outbox.oldestAgeMs()).toBe(3_500);
    await outbox.ack(1);
    expect(outbox.oldestAgeMs()).toBe(1_500);
    expect(notified).toBe(2);
  });
});

describe('file outbox: delivery keys and bounds', () => {
  it('recognises the key of a stored message, also after a restart and after its events were acknowledged', async () => {
    const outbox = await openFileOutbox({ dir, segmentMaxEvents: 3 });
    await outbox.append(range(1, 2), 'k1');
    await outbox.append(range(3, 3), 'k2');
    expect(outbox.whenStored('k1')).toBeDefined();
    expect(outbox.whenStored('nope')).toBeUndefined();
    await outbox.ack(3);
    const reopened = await openFileOutbox({ dir, segmentMaxEvents: 3 });
    await expect(reopened.whenStored('k1')).resolves.toBeUndefined();
    expect(reopened.whenStored('k2')).toBeDefined();
    expect(reopened.depth()).toBe(0);
  });

  it('forgets the key of an append that failed', async () => {
    const outbox = await openFileOutbox({ dir });
    await outbox.append(range(5, 5), 'a');
    await expect(outbox.append(range(1, 1), 'b')).rejects.toThrow(/out of order/);
    expect(outbox.whenStored('b')).toBeUndefined();
  });

  it('drops the oldest events above maxEvents, counts them and keeps the count across restarts', async () => {
    const outbox = await openFileOutbox({ dir, maxEvents: 5, segmentMaxEvents: 4 });
    await outbox.append(range(1, 8));
    expect(outbox.depth()).toBe(5);
    expect(outbox.dropped()).toBe(3);
    expect(seqs(await outbox.peek(100))).toEqual([4, 5, 6, 7, 8]);
    const reopened = await openFileOutbox({ dir, maxEvents: 5 });
    expect(reopened.dropped()).toBe(3);
    expect(reopened.depth()).toBe(5);
  });

  it('drops events older than maxAgeMs', async () => {
    let clock = T;
    const outbox = await openFileOutbox({ dir, maxAgeMs: 60_000, now: () => clock });
    await outbox.append(range(1, 3));
    clock += 30_000;
    await outbox.append(range(4, 4));
    clock += 45_000;
    await outbox.append(range(5, 5));
    expect(seqs(await outbox.peek(10))).toEqual([4, 5]);
    expect(outbox.dropped()).toBe(3);
    await outbox.close();
  });
});

describe('file outbox: live lane while a backlog drains', () => {
  it('sends the oldest events first while nothing waits long', async () => {
    let clock = T;
    const outbox = await openFileOutbox({ dir, now: () => clock });
    await outbox.append(range(1, 30));
    clock += 500; // younger than liveAfterMs: no backlog, even though more than a batch waits
    const batch = await outbox.nextBatch(10);
    expect(seqs(batch.events)).toEqual(range(1, 10).map((e) => e.seq));
    expect(batch).toMatchObject({ backlogUpTo: 10, live: null });
  });

  it('gives new events their share of each batch, acknowledges both lanes and never repeats or loses one', async () => {
    let clock = T;
    const outbox = await openFileOutbox({
      dir,
      now: () => clock,
      liveAfterMs: 2000,
      liveShare: 0.5,
      segmentMaxEvents: 7,
      memoryEvents: 0, // finished segments are read back from disk
    });
    await outbox.append(range(1, 40)); // the backlog, e.g. piled up during a server outage
    clock += 60_000;
    const first = await outbox.nextBatch(10); // the lane opens above the newest stored event
    expect(seqs(first.events)).toEqual(range(1, 10).map((e) => e.seq));
    await outbox.ackBatch(first);
    await outbox.append(range(41, 43)); // live data arrives
    const second = await outbox.nextBatch(10);
    expect(seqs(second.events)).toEqual([11, 12, 13, 14, 15, 16, 17, 41, 42, 43]);
    expect(second).toMatchObject({ backlogUpTo: 17, live: { from: 41, to: 43 } });
    await outbox.ackBatch(second);
    expect(outbox.depth()).toBe(40 - 17);
    await outbox.append(range(44, 60)); // more live data than its share
    const third = await outbox.nextBatch(10);
    expect(seqs(third.events)).toEqual([18, 19, 20, 21, 22, 44, 45, 46, 47, 48]);
    await outbox.ackBatch(third);

    // The acknowledged live range survives a restart: those events are not sent again.
    const reopened = await openFileOutbox({ dir, now: () => clock, liveAfterMs: 2000, segmentMaxEvents: 7 });
    expect(reopened.depth()).toBe(60 - 22 - 8);
    const rest: number[] = [];
    for (let b = await reopened.nextBatch(100); b.events.length > 0; b = await reopened.nextBatch(100)) {
      rest.push(...seqs(b.events));
      await reopened.ackBatch(b);
    }
    expect(rest).toEqual([...range(23, 40), ...range(49, 60)].map((e) => e.seq));
    expect(reopened.depth()).toBe(0);
    expect(JSON.parse(await readFile(path.join(dir, 'ack.json'), 'utf8'))).toEqual({ ackedUpTo: 60, dropped: 0 });
  });

  it('cuts a live lane that fell behind itself, so the newest events stay prompt', async () => {
    let clock = T;
    const outbox = await openFileOutbox({ dir, now: () => clock, liveAfterMs: 2000 });
    await outbox.append(range(1, 20));
    clock += 10_000;
    await outbox.ackBatch(await outbox.nextBatch(4)); // lane opens at 21
    await outbox.append(range(21, 40));
    clock += 10_000; // the lane's events are old now: they join the backlog, the lane restarts at 41
    const batch = await outbox.nextBatch(4);
    expect(seqs(batch.events)).toEqual([5, 6, 7, 8]);
    await outbox.ackBatch(batch);
    await outbox.append(range(41, 41));
    expect(seqs((await outbox.nextBatch(4)).events)).toEqual([9, 10, 11, 41]);
  });

  it('ignores an unreadable ranges field (resending is safe, skipping is not)', async () => {
    const first = await openFileOutbox({ dir });
    await first.append(range(1, 5));
    await writeFile(path.join(dir, 'ack.json'), JSON.stringify({ ackedUpTo: 2, dropped: 0, ranges: [[4, 'x']] }));
    const reopened = await openFileOutbox({ dir });
    expect(seqs(await reopened.peek(10))).toEqual([3, 4, 5]);
  });
});

describe('file outbox: a second batch while one is in flight', () => {
  it('goes on where the batch in flight ends, in both lanes', async () => {
    let clock = T;
    const outbox = await openFileOutbox({ dir, now: () => clock, liveAfterMs: 2000, liveShare: 0.5 });
    await outbox.append(range(1, 40));
    clock += 500;
    const first = await outbox.nextBatch(10);
    const second = await outbox.nextBatch(10, first);
    expect(seqs(second.events)).toEqual(range(11, 20).map((e) => e.seq));
    await outbox.ackBatch(first);
    await outbox.ackBatch(second);
    clock += 60_000; // a backlog now: the lane opens at 41
    const third = await outbox.nextBatch(10);
    expect(seqs(third.events)).toEqual(range(21, 30).map((e) => e.seq));
    await outbox.append(range(41, 50));
    const fourth = await outbox.nextBatch(10, third);
    expect(seqs(fourth.events)).toEqual([31, 32, 33, 34, 35, 41, 42, 43, 44, 45]);
    await outbox.ackBatch(third);
    const fifth = await outbox.nextBatch(10, fourth);
    expect(seqs(fifth.events)).toEqual([36, 37, 38, 39, 40, 46, 47, 48, 49, 50]);
    expect(fifth).toMatchObject({ backlogUpTo: 40, live: { from: 46, to: 50 } });
    await outbox.ackBatch(fourth);
    await outbox.ackBatch(fifth);
    expect(outbox.depth()).toBe(0);
  });

  it.each([7, 1234, 99_991])(
    'never acknowledges an event no committed batch held, nor sends one twice, whatever the lanes and failures do (seed %i)',
    async (firstSeed) => {
      let clock = T;
      const options = {
        dir,
        now: () => clock,
        liveAfterMs: 2000,
        liveShare: 0.5,
        segmentMaxEvents: 7,
        memoryEvents: 10,
      };
      const outbox = await openFileOutbox(options);
      let seed = firstSeed;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
      let nextSeq = 1;
      const committed = new Set<number>();
      let inFlight: Awaited<ReturnType<typeof outbox.nextBatch>> | null = null;
      let failures = 0;
      for (let step = 0; step < 150; step++) {
        const appended = Math.floor(random() * 12);
        if (appended > 0) {
          await outbox.append(range(nextSeq, nextSeq + appended - 1));
          nextSeq += appended;
        }
        clock += Math.floor(random() * 1500);
        const batch = await outbox.nextBatch(1 + Math.floor(random() * 10), inFlight ?? undefined);
        if (inFlight && random() < 0.15) {
          // The request in flight failed: the batch composed after it is not acknowledged either.
          failures += 1;
          inFlight = null;
          continue;
        }
        if (inFlight) {
          for (const e of inFlight.events) {
            expect(committed.has(e.seq)).toBe(false); // never sent twice without a failure
            committed.add(e.seq);
          }
          await outbox.ackBatch(inFlight);
        }
        inFlight = batch.events.length > 0 ? batch : null;
        const pending = new Set(seqs(await outbox.peek(Number.MAX_SAFE_INTEGER)));
        for (let seq = 1; seq < nextSeq; seq++) if (!pending.has(seq)) expect(committed.has(seq)).toBe(true);
      }
      expect(failures).toBeGreaterThan(5);
      if (inFlight) {
        for (const e of inFlight.events) committed.add(e.seq);
        await outbox.ackBatch(inFlight);
      }
      for (let b = await outbox.nextBatch(50); b.events.length > 0; b = await outbox.nextBatch(50)) {
        for (const e of b.events) committed.add(e.seq);
        await outbox.ackBatch(b);
      }
      expect(outbox.depth()).toBe(0);
      expect(committed.size).toBe(nextSeq - 1);
    },
  );
});
