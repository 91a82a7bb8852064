import type { StationState } from '../contracts/station-state.js';
import {
  activePeriods,
  analyseBottleneck,
  MomentaryBottleneckTracker,
  type ActivePeriod,
  type WindowBottleneck,
} from './bottleneck.js';
import type { StateInterval } from './intervals.js';

const M = 60_000;
const T0 = Date.parse('2026-11-27T05:00:00Z');
const at = (m: number) => T0 + m * M;
/** Active periods from { station: [[start, end], …] } in minutes. */
const periods = (spec: Record<string, [number, number][]>): ActivePeriod[] =>
  Object.entries(spec).flatMap(([station, list]) => list.map(([s, e]) => ({ station, start: at(s), end: at(e) })));
const analyse = (spec: Record<string, [number, number][]>, from: number, to: number, stations?: string[]) =>
  analyseBottleneck(periods(spec), { from: at(from), to: at(to), ...(stations ? { stations } : {}) });
/** Shares as whole percent for readable tables: [station, sole %, shifting %]. */
const percent = (r: WindowBottleneck) =>
  r.shares.map((s) => [s.station, Math.round(s.sole * 1e9) / 1e7, Math.round(s.shifting * 1e9) / 1e7]);
const spans = (r: WindowBottleneck) => r.momentary.map((m) => [(m.start - T0) / M, (m.end - T0) / M, m.stations]);

/**
 * An independent reference on whole minutes: per minute the covering periods and the longest of them, the
 * periods that win somewhere, then per minute how many of those cover it. Checks the sweep on random inputs.
 */
function referenceShares(list: ActivePeriod[], from: number, to: number, stations: string[]) {
  const cut = list
    .map((p) => ({ ...p, start: Math.max(p.start, from), end: Math.min(p.end, to) }))
    .filter((p) => p.end > p.start);
  const chosen = new Set<number>();
  for (let t = from; t < to; t += M) {
    const covering = cut.map((p, i) => [p, i] as const).filter(([p]) => p.start <= t && t < p.end);
    const longest = Math.max(...covering.map(([p]) => p.end - p.start));
    for (const [p, i] of covering) if (p.end - p.start === longest) chosen.add(i);
  }
  const sole = new Map<string, number>();
  const shifting = new Map<string, number>();
  for (let t = from; t < to; t += M) {
    const covering = [...chosen].map((i) => cut[i]!).filter((p) => p.start <= t && t < p.end);
    const target = covering.length === 1 ? sole : shifting;
    for (const p of covering) target.set(p.station, (target.get(p.station) ?? 0) + M);
  }
  return stations.map((station) => ({
    station,
    sole: (sole.get(station) ?? 0) / (to - from),
    shifting: (shifting.get(station) ?? 0) / (to - from),
  }));
}

describe('analyseBottleneck against a per-minute reference', () => {
  it('gives the same shares on 200 random lines', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const stations = ['S1', 'S2', 'S3', 'S4'];
    for (let run = 0; run < 200; run++) {
      const list: ActivePeriod[] = [];
      for (const station of stations) {
        let t = Math.floor(random() * 10);
        while (t < 120) {
          const length = 1 + Math.floor(random() * (random() < 0.3 ? 40 : 8));
          list.push({ station, start: at(t), end: at(t + length) });
          t += length + 1 + Math.floor(random() * 6);
        }
      }
      const [from, to] = [at(Math.floor(random() * 20)), at(100 + Math.floor(random() * 20))];
      expect(analyseBottleneck(list, { from, to, stations }).shares).toEqual(referenceShares(list, from, to, stations));
    }
  });
});

describe('analyseBottleneck', () => {
  it('reproduces the worked example of STANDARDS.md §5 exactly', () => {
    const r = analyse(
      {
        S1: [
          [0, 6],
          [8, 12],
          [14, 20],
        ],
        S2: [
          [2, 11],
          [13, 16],
        ],
        S3: [
          [0, 3],
          [5, 7],
          [9, 20],
        ],
      },
      0,
      20,
    );
    // momentary: [0,2) S1 (6 > 3), [2,9) S2 (9 beats 6, 3, 2, 4), [9,20) S3 (11 beats 9, 4, 3, 6)
    expect(spans(r)).toEqual([
      [0, 2, ['S1']],
      [2, 9, ['S2']],
      [9, 20, ['S3']],
    ]);
    expect(r.bottleneckPeriods).toEqual(periods({ S1: [[0, 6]], S2: [[2, 11]], S3: [[9, 20]] }));
    // shifting [2,6) S1+S2 and [9,11) S2+S3; shares over 20 min
    expect(r.shares).toEqual([
      { station: 'S1', sole: 0.1, shifting: 0.2 }, // sole [0,2) 2, shifting [2,6) 4
      { station: 'S2', sole: 0.15, shifting: 0.3 }, // sole [6,9) 3, shifting 4 + 2
      { station: 'S3', sole: 0.45, shifting: 0.1 }, // sole [11,20) 9, shifting [9,11) 2
    ]);
    expect(r.station).toBe('S3');
  });

  it.each<[string, Record<string, [number, number][]>, number, number, string[], unknown[][], string | null]>([
    [
      // one station: every active minute is sole; active 5 + 8 = 13 of 20
      'a single-station line',
      {
        S1: [
          [0, 5],
          [10, 18],
        ],
      },
      0,
      20,
      ['S1'],
      [['S1', 65, 0]],
      'S1',
    ],
    [
      // all starved except S1 [5,10): S1 sole 5/20; no bottleneck outside [5,10)
      'a line starved all window but one station for a while',
      { S1: [[5, 10]] },
      0,
      20,
      ['S1', 'S2', 'S3'],
      [
        ['S1', 25, 0],
        ['S2', 0, 0],
        ['S3', 0, 0],
      ],
      'S1',
    ],
    [
      'no station active at all',
      {},
      0,
      20,
      ['S1', 'S2'],
      [
        ['S1', 0, 0],
        ['S2', 0, 0],
      ],
      null,
    ],
    [
      // S1 and S2 tied over [0,10): both bottlenecks, all shifting (10/20); S3 alone [10,15): sole 5/20
      'a full tie is shifting for both',
      { S1: [[0, 10]], S2: [[0, 10]], S3: [[10, 15]] },
      0,
      20,
      ['S1', 'S2', 'S3'],
      [
        ['S1', 0, 50],
        ['S2', 0, 50],
        ['S3', 25, 0],
      ],
      'S3',
    ],
    [
      // S1 [0,10) and S2 [5,15), both 10 long: [0,5) S1, [5,10) tie, [10,15) S2. Overlap [5,10) shifting;
      // sole 5 each. Equal shares: flow order picks S1.
      'a partial tie; equal shares go to the earlier station in flow order',
      { S2: [[5, 15]], S1: [[0, 10]] },
      0,
      20,
      ['S1', 'S2'],
      [
        ['S1', 25, 25],
        ['S2', 25, 25],
      ],
      'S1',
    ],
    [
      // S1 [-10,5) is cut to [0,5) (5 long) and loses to S2 [2,8) (6 long) from minute 2; S3 [15,30) cut to
      // [15,20). S1 sole [0,2) 2, shifting [2,5) 3; S2 shifting 3, sole [5,8) 3; S3 sole 5.
      'periods crossing the window edges are cut first',
      { S1: [[-10, 5]], S2: [[2, 8]], S3: [[15, 30]] },
      0,
      20,
      ['S1', 'S2', 'S3'],
      [
        ['S1', 10, 15],
        ['S2', 15, 15],
        ['S3', 25, 0],
      ],
      'S3',
    ],
    [
      // shares are fractions of the window, whatever the stations' order of appearance
      'stations missing from the list follow it',
      { S9: [[0, 4]] },
      0,
      8,
      ['S1'],
      [
        ['S1', 0, 0],
        ['S9', 50, 0],
      ],
      'S9',
    ],
  ])('%s', (_name, spec, from, to, stations, expected, bottleneck) => {
    const r = analyse(spec, from, to, stations);
    expect(percent(r)).toEqual(expected);
    expect(r.station).toBe(bottleneck);
  });

  it('lists the momentary chain with ties and gaps', () => {
    expect(spans(analyse({ S2: [[5, 15]], S1: [[0, 10]] }, 0, 20, ['S1', 'S2']))).toEqual([
      [0, 5, ['S1']],
      [5, 10, ['S1', 'S2']],
      [10, 15, ['S2']],
    ]);
    expect(spans(analyse({ S1: [[5, 10]] }, 0, 20))).toEqual([[5, 10, ['S1']]]);
  });

  it('an empty window has no bottleneck', () => {
    const r = analyse({ S1: [[0, 5]] }, 10, 10, ['S1']);
    expect(r.station).toBeNull();
    expect(r.shares).toEqual([{ station: 'S1', sole: 0, shifting: 0 }]);
  });
});

describe('activePeriods', () => {
  const timeline = (station: string, ...rows: [StationState, number, number][]): StateInterval[] =>
    rows.map(([state, start, end]) => ({ station, state, reason: null, start: at(start), end: at(end) }));
  const view = (list: ActivePeriod[]) => list.map((p) => [p.station, (p.start - T0) / M, (p.end - T0) / M]);

  it.each<[string, StateInterval[], unknown[][]]>([
    [
      'running → down → running is one period; changeover and maintenance are active too',
      timeline(
        'S1',
        ['running', 0, 5],
        ['down', 5, 7],
        ['changeover', 7, 9],
        ['maintenance', 9, 10],
        ['running', 10, 12],
      ),
      [['S1', 0, 12]],
    ],
    [
      'starved, blocked and idle end a period',
      timeline(
        'S1',
        ['running', 0, 5],
        ['starved', 5, 6],
        ['running', 6, 8],
        ['blocked', 8, 9],
        ['down', 9, 10],
        ['idle', 10, 11],
      ),
      [
        ['S1', 0, 5],
        ['S1', 6, 8],
        ['S1', 9, 10],
      ],
    ],
    [
      // break and offline are excluded: not active, so they end the period like an inactive state
      'break and offline end a period',
      timeline(
        'S1',
        ['running', 0, 8],
        ['break', 8, 10],
        ['running', 10, 15],
        ['offline', 15, 16],
        ['running', 16, 20],
      ),
      [
        ['S1', 0, 8],
        ['S1', 10, 15],
        ['S1', 16, 20],
      ],
    ],
    [
      'stations are kept apart and each sorted',
      [...timeline('S2', ['running', 5, 9]), ...timeline('S1', ['down', 3, 4], ['running', 0, 3])],
      [
        ['S2', 5, 9],
        ['S1', 0, 4],
      ],
    ],
  ])('%s', (_name, intervals, expected) => {
    expect(view(activePeriods(intervals))).toEqual(expected);
  });

  it('a line-wide break splits the chain instead of bridging it', () => {
    // S1 running [0,8), break [8,10), running [10,20) → periods [0,8) and [10,20);
    // S2 running [0,12) then starved → one 12-minute period.
    // Momentary: [0,8) S2 (12 > 8), [8,10) S2 alone, [10,12) S2 (12 > 10), [12,20) S1.
    // Bottleneck periods S2 [0,12), S1 [10,20): shifting [10,12) 2; S2 sole 10, S1 sole 8 (of 20).
    const intervals = [
      ...timeline('S1', ['running', 0, 8], ['break', 8, 10], ['running', 10, 20]),
      ...timeline('S2', ['running', 0, 12], ['starved', 12, 20]),
    ];
    const r = analyseBottleneck(activePeriods(intervals), { from: at(0), to: at(20), stations: ['S1', 'S2'] });
    expect(percent(r)).toEqual([
      ['S1', 40, 10],
      ['S2', 50, 10],
    ]);
    expect(r.station).toBe('S2');
  });
});

describe('MomentaryBottleneckTracker', () => {
  it('follows the longest ongoing active period through a sequence of state changes', () => {
    const t = new MomentaryBottleneckTracker(['S1', 'S2', 'S3']);
    const now = (m: number) => {
      const c = t.current(at(m));
      return c && [c.stations, (c.activeSince - T0) / M, c.elapsedMs / M];
    };
    expect(now(0)).toBeNull(); // nobody active yet
    t.apply('S2', 'running', at(1));
    t.apply('S3', 'running', at(1));
    expect(now(2)).toEqual([['S2', 'S3'], 1, 1]); // tied: both since minute 1
    t.apply('S1', 'running', at(0.5)); // S1 joins with an event time before S2/S3
    expect(now(2)).toEqual([['S1'], 0.5, 1.5]);
    t.apply('S1', 'down', at(3)); // still active: the period goes on
    expect(now(4)).toEqual([['S1'], 0.5, 3.5]);
    t.apply('S1', 'starved', at(5)); // period ends
    expect(now(6)).toEqual([['S2', 'S3'], 1, 5]);
    t.apply('S2', 'break', at(7)); // excluded: ends S2's period
    expect(now(8)).toEqual([['S3'], 1, 7]);
    t.apply('S3', 'blocked', at(9));
    expect(now(10)).toBeNull(); // all inactive: no bottleneck
  });

  it('ignores a state change older than the station’s last one', () => {
    const t = new MomentaryBottleneckTracker(['S1']);
    t.apply('S1', 'running', at(10));
    t.apply('S1', 'starved', at(5));
    expect(t.current(at(12))?.activeSince).toBe(at(10));
  });

  it('can be seeded with ongoing periods and learns unknown stations', () => {
    const t = new MomentaryBottleneckTracker(['S1']);
    t.seed('S1', at(-30));
    t.apply('X', 'changeover', at(-40));
    expect(t.current(at(0))?.stations).toEqual(['X']);
    t.seed('X', null, at(0));
    expect(t.current(at(0))?.stations).toEqual(['S1']);
  });
});
