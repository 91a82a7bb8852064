import type { StationState } from '../contracts/station-state.js';
import { STATION_STATES } from '../contracts/station-state.js';
import { buildIntervals, insertStateEvent, mergeIntervals, type StateChange, type StateInterval } from './intervals.js';

const M = 60_000;
const T0 = Date.parse('2026-11-27T05:00:00Z');
/** Minute m of the test window as epoch ms. */
const at = (m: number) => T0 + m * M;
const ev = (m: number, state: StationState, reason?: string, seq?: number): StateChange => ({
  ts: at(m),
  state,
  ...(reason === undefined ? {} : { reason }),
  ...(seq === undefined ? {} : { seq }),
});
/** Compact view: [state, reason, startMinute, endMinute]. */
const view = (intervals: readonly StateInterval[]) =>
  intervals.map((i) => [i.state, i.reason, (i.start - T0) / M, (i.end - T0) / M]);
const build = (
  events: StateChange[],
  initial: { state: StationState; reason?: string; since?: number } | null,
  extra: { from?: number; to?: number; clip?: boolean; mergeRepeats?: boolean } = {},
) => buildIntervals({ station: 's1', from: at(extra.from ?? 0), to: at(extra.to ?? 60), events, initial, ...extra });

describe('buildIntervals', () => {
  it.each<[string, StateChange[], StationState | null, unknown[][]]>([
    [
      'events in order',
      [ev(10, 'down', 'jam'), ev(15, 'running')],
      'running',
      [
        ['running', null, 0, 10],
        ['down', 'jam', 10, 15],
        ['running', null, 15, 60],
      ],
    ],
    [
      'the same events unordered',
      [ev(15, 'running'), ev(10, 'down', 'jam')],
      'running',
      [
        ['running', null, 0, 10],
        ['down', 'jam', 10, 15],
        ['running', null, 15, 60],
      ],
    ],
    [
      // down@30 arrived first, starved@10 arrives late (last in the list) and lands inside running [0,30)
      'a late event lands in an earlier interval',
      [ev(0, 'running'), ev(30, 'down'), ev(10, 'starved')],
      null,
      [
        ['running', null, 0, 10],
        ['starved', null, 10, 30],
        ['down', null, 30, 60],
      ],
    ],
    [
      'repeated same-state events merge; a later reason classifies the stop',
      [ev(5, 'running'), ev(10, 'down'), ev(12, 'down', 'jam'), ev(20, 'running'), ev(40, 'running')],
      'running',
      [
        ['running', null, 0, 10],
        ['down', 'jam', 10, 20],
        ['running', null, 20, 60],
      ],
    ],
    [
      'a repeat without a reason keeps the reason',
      [ev(10, 'down', 'jam'), ev(12, 'down')],
      'running',
      [
        ['running', null, 0, 10],
        ['down', 'jam', 10, 60],
      ],
    ],
    [
      // starved seq 7 is applied after down seq 3 at the same instant; down becomes zero-length and drops
      'same-ts events ordered by seq',
      [ev(10, 'starved', undefined, 7), ev(10, 'down', undefined, 3)],
      'running',
      [
        ['running', null, 0, 10],
        ['starved', null, 10, 60],
      ],
    ],
    [
      'same ts and seq keep input order',
      [ev(10, 'down'), ev(10, 'blocked')],
      'running',
      [
        ['running', null, 0, 10],
        ['blocked', null, 10, 60],
      ],
    ],
    [
      // down [5,5) is zero-length: running [0,5) and running [5,60) are one interval
      'a zero-length interval between equal states merges them',
      [ev(5, 'down', undefined, 1), ev(5, 'running', undefined, 2)],
      'running',
      [['running', null, 0, 60]],
    ],
    [
      'events before the window refine the initial state',
      [ev(-30, 'down', 'jam'), ev(-10, 'changeover'), ev(20, 'running')],
      'running',
      [
        ['changeover', null, 0, 20],
        ['running', null, 20, 60],
      ],
    ],
    [
      'an event exactly at the window start replaces the initial state',
      [ev(0, 'idle')],
      'running',
      [['idle', null, 0, 60]],
    ],
    [
      'events at or after the window end are ignored',
      [ev(60, 'down'), ev(75, 'idle')],
      'running',
      [['running', null, 0, 60]],
    ],
    [
      'no known state before the window is offline (a data gap)',
      [ev(20, 'running')],
      null,
      [
        ['offline', null, 0, 20],
        ['running', null, 20, 60],
      ],
    ],
    ['no events at all', [], 'break', [['break', null, 0, 60]]],
  ])('%s', (_name, events, initial, expected) => {
    expect(view(build(events, initial === null ? null : { state: initial }))).toEqual(expected);
  });

  it('returns nothing for an empty or reversed window', () => {
    expect(build([ev(5, 'down')], { state: 'running' }, { from: 10, to: 10 })).toEqual([]);
    expect(build([ev(5, 'down')], { state: 'running' }, { from: 10, to: 0 })).toEqual([]);
  });

  it('stamps the station on every interval', () => {
    expect(build([ev(10, 'down')], { state: 'running' }).every((i) => i.station === 's1')).toBe(true);
  });

  describe('clip: false keeps the full length of intervals crossing the edges', () => {
    it.each<[string, StateChange[], { state: StationState; since?: number } | null, unknown[][]]>([
      [
        // down since -3 (from initial.since) runs into the window; running from 50 lasts until the idle at 70
        'initial since and the first change after the window',
        [ev(2, 'running'), ev(50, 'down'), ev(65, 'down', 'jam'), ev(70, 'idle')],
        { state: 'down', since: at(-3) },
        [
          ['down', null, -3, 2],
          ['running', null, 2, 50],
          ['down', 'jam', 50, 70],
        ],
      ],
      [
        'the start comes from the event before the window that began the state',
        [ev(-20, 'down'), ev(-5, 'down'), ev(30, 'running')],
        { state: 'running', since: at(-90) },
        [
          ['down', null, -20, 30],
          ['running', null, 30, 60],
        ],
      ],
      [
        'no change after the window: the last interval ends at the window end',
        [ev(10, 'down'), ev(80, 'down', 'jam')],
        { state: 'running' },
        [
          ['running', null, 0, 10],
          ['down', null, 10, 60],
        ],
      ],
    ])('%s', (_name, events, initial, expected) => {
      expect(view(build(events, initial, { clip: false }))).toEqual(expected);
    });
  });

  it('mergeRepeats: false starts an interval at every event', () => {
    const events = [ev(10, 'down'), ev(12, 'down', 'jam'), ev(20, 'running')];
    expect(view(build(events, { state: 'running' }, { mergeRepeats: false }))).toEqual([
      ['running', null, 0, 10],
      ['down', null, 10, 12],
      ['down', 'jam', 12, 20],
      ['running', null, 20, 60],
    ]);
    expect(view(mergeIntervals(build(events, { state: 'running' }, { mergeRepeats: false })))).toEqual(
      view(build(events, { state: 'running' })),
    );
  });
});

describe('mergeIntervals', () => {
  const iv = (station: string, state: StationState, start: number, end: number, reason: string | null = null) => ({
    station,
    state,
    reason,
    start: at(start),
    end: at(end),
  });
  it('merges only touching intervals of the same station and state', () => {
    const merged = mergeIntervals([
      iv('s1', 'down', 0, 5),
      iv('s1', 'down', 5, 8, 'jam'),
      iv('s1', 'down', 9, 10),
      iv('s2', 'down', 10, 12),
      iv('s2', 'running', 12, 15),
    ]);
    expect(merged.map((i) => [i.station, i.state, i.reason, (i.start - T0) / M, (i.end - T0) / M])).toEqual([
      ['s1', 'down', 'jam', 0, 8],
      ['s1', 'down', null, 9, 10],
      ['s2', 'down', null, 10, 12],
      ['s2', 'running', null, 12, 15],
    ]);
  });
});

describe('insertStateEvent', () => {
  const base = () => build([ev(10, 'down', 'jam'), ev(30, 'running')], { state: 'running' }, { mergeRepeats: false });

  it.each<[string, StateChange, unknown[][]]>([
    [
      // lands inside running [30,60): split into running [30,45) and starved [45,60)
      'splits the interval it lands in',
      ev(45, 'starved'),
      [
        ['running', null, 0, 10],
        ['down', 'jam', 10, 30],
        ['running', null, 30, 45],
        ['starved', null, 45, 60],
      ],
    ],
    [
      'an event at an interval start replaces that interval',
      ev(10, 'changeover', 'tool'),
      [
        ['running', null, 0, 10],
        ['changeover', 'tool', 10, 30],
        ['running', null, 30, 60],
      ],
    ],
    [
      // same state inside down [10,30): a per-event split; mergeIntervals later folds it (reason: the later one)
      'a same-state event splits too',
      ev(20, 'down', 'material'),
      [
        ['running', null, 0, 10],
        ['down', 'jam', 10, 20],
        ['down', 'material', 20, 30],
        ['running', null, 30, 60],
      ],
    ],
  ])('%s', (_name, event, expected) => {
    expect(view(insertStateEvent(base(), event))).toEqual(expected);
  });

  it('returns the same list for an event outside its span', () => {
    const list = base();
    expect(insertStateEvent(list, ev(-1, 'down'))).toBe(list);
    expect(insertStateEvent(list, ev(60, 'down'))).toBe(list);
    expect(insertStateEvent([], ev(5, 'down'))).toEqual([]);
  });

  it('does not mutate its input', () => {
    const list = base();
    const copy = structuredClone(list);
    insertStateEvent(list, ev(45, 'starved'));
    expect(list).toEqual(copy);
  });

  it('on a merged list a folded repeat is not a boundary (documented limit)', () => {
    // running@0 and its repeat running@40 merged into running [0,60); down@20 arrives late.
    // The per-event truth is down [20,40) then running again; the merged list only knows "down until 60".
    const events = [ev(0, 'running'), ev(40, 'running')];
    const merged = build(events, null);
    expect(view(insertStateEvent(merged, ev(20, 'down')))).toEqual([
      ['running', null, 0, 20],
      ['down', null, 20, 60],
    ]);
    const perEvent = build(events, null, { mergeRepeats: false });
    expect(view(mergeIntervals(insertStateEvent(perEvent, ev(20, 'down'))))).toEqual([
      ['running', null, 0, 20],
      ['down', null, 20, 40],
      ['running', null, 40, 60],
    ]);
  });

  it('on a per-event list, insert then merge equals a full rebuild (500 random cases)', () => {
    // mulberry32: deterministic pseudo-random numbers so a failure is reproducible
    let seed = 22400;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const reasons = [undefined, 'jam', 'material'];
    for (let n = 0; n < 500; n++) {
      const minutes = new Set<number>();
      while (minutes.size < 1 + Math.floor(rand() * 12)) minutes.add(Math.floor(rand() * 80) - 10);
      const events = [...minutes].map((m) =>
        ev(m, STATION_STATES[Math.floor(rand() * 4)]!, reasons[Math.floor(rand() * reasons.length)]),
      );
      let late = Math.floor(rand() * 60);
      while (minutes.has(late)) late = (late + 1) % 60;
      const lateEvent = ev(late, STATION_STATES[Math.floor(rand() * 4)]!, reasons[Math.floor(rand() * 3)]);
      const initial = { state: STATION_STATES[Math.floor(rand() * 4)]! };
      const perEvent = build(events, initial, { mergeRepeats: false });
      const incremental = mergeIntervals(insertStateEvent(perEvent, lateEvent));
      expect(view(incremental)).toEqual(view(build([...events, lateEvent], initial)));
    }
  });
});
