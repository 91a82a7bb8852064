import { buildIntervals, insertStateEvent, mergeIntervals, type StateInterval } from '@floorboard/shared';
import { planIntervalChanges, type HistoryStateEvent, type Landing } from './interval-plan.js';

interface Row {
  id: string;
  state: HistoryStateEvent['state'];
  reason: string | null;
  start: number;
  end: number | null;
}

/** Applies a plan to in-memory rows the way the SQL does, finding landings like the LATERAL query. */
function apply(rows: Row[], events: HistoryStateEvent[]): Row[] {
  const sorted = [...rows].sort((a, b) => a.start - b.start);
  const landings: Landing[] = events.map((e) => {
    const row = [...sorted].reverse().find((r) => r.start <= e.ts) ?? null;
    const next = sorted.find((r) => r.start > e.ts) ?? null;
    return {
      row: row && { id: row.id, start: row.start, end: row.end },
      nextStart: row ? null : (next?.start ?? null),
    };
  });
  const plan = planIntervalChanges(events, landings);
  let out = sorted.map((r) => ({ ...r }));
  for (const u of plan.updates) {
    out = out.map((r) =>
      r.id === u.id
        ? { ...r, end: u.end, ...(u.replace ? { state: u.replace.state, reason: u.replace.reason } : {}) }
        : r,
    );
  }
  let id = out.length + 100;
  for (const i of plan.inserts)
    out.push({ id: String(id++), state: i.state, reason: i.reason, start: i.start, end: i.end });
  return out.sort((a, b) => a.start - b.start);
}

const ev = (
  ts: number,
  state: HistoryStateEvent['state'],
  seq = ts,
  reason: string | null = null,
): HistoryStateEvent => ({
  line: 'l',
  station: 's',
  ts,
  seq,
  state,
  reason,
  historical: false,
});

const asIntervals = (rows: Row[], to: number): StateInterval[] =>
  mergeIntervals(
    rows.map((r) => ({ station: 's', state: r.state, reason: r.reason, start: r.start, end: r.end ?? to })),
  );

describe('planIntervalChanges', () => {
  const batches: [string, HistoryStateEvent[][]][] = [
    ['in order, one batch', [[ev(0, 'running'), ev(10, 'down'), ev(20, 'running')]]],
    ['in order, one event per batch', [[ev(0, 'running')], [ev(10, 'down')], [ev(20, 'running')]]],
    ['late event splitting a closed row', [[ev(0, 'running'), ev(30, 'idle')], [ev(10, 'down', 99, 'jam')]]],
    ['late events before the first row', [[ev(20, 'running')], [ev(5, 'changeover'), ev(0, 'idle')]]],
    [
      'several late events in one open row, shuffled',
      [[ev(0, 'running')], [ev(25, 'down'), ev(5, 'down'), ev(15, 'running')]],
    ],
    ['same instant: the later seq wins', [[ev(0, 'running'), ev(10, 'down', 1), ev(10, 'blocked', 2)]]],
    ['late event at a row start replaces it', [[ev(0, 'running'), ev(10, 'down')], [ev(10, 'starved', 50)]]],
    ['repeats keep per-event rows', [[ev(0, 'running'), ev(10, 'running'), ev(20, 'down')], [ev(15, 'blocked', 70)]]],
  ];

  it.each(batches)('%s: equals a rebuild from all events', (_, groups) => {
    let rows: Row[] = [];
    for (const events of groups) rows = apply(rows, events);
    const all = groups.flat();
    // Per-event rows are exactly `insertStateEvent`'s form: contiguous, the last open.
    for (let i = 0; i + 1 < rows.length; i++) expect(rows[i]!.end).toBe(rows[i + 1]!.start);
    expect(rows[rows.length - 1]!.end).toBeNull();
    const to = 100;
    const from = Math.min(...all.map((e) => e.ts));
    const rebuilt = buildIntervals({ station: 's', from, to, events: all, initial: null });
    expect(asIntervals(rows, to)).toEqual(rebuilt);
    // And equal to shared's one-at-a-time insert on the per-event form.
    let viaShared: readonly StateInterval[] = buildIntervals({
      station: 's',
      from,
      to,
      events: groups[0]!,
      mergeRepeats: false,
    });
    for (const events of groups.slice(1)) {
      for (const e of [...events].sort((a, b) => a.ts - b.ts || a.seq - b.seq))
        viaShared = insertStateEvent(viaShared, e);
    }
    expect(asIntervals(rows, to)).toEqual(mergeIntervals(viaShared));
  });
});
