import type { StationState } from '../contracts/station-state.js';
import type { StateInterval } from './intervals.js';
import { downtimePareto } from './pareto.js';

const iv = (station: string, state: StationState, start: number, end: number, reason: string | null) =>
  ({ station, state, reason, start: start * 1000, end: end * 1000 }) satisfies StateInterval;

describe('downtimePareto', () => {
  it('groups down intervals by reason, largest first, unclassified under null', () => {
    const result = downtimePareto([
      iv('press', 'down', 0, 300, 'jam'), // jam 300 s
      iv('press', 'running', 300, 900, null), // not downtime
      iv('press', 'down', 900, 960, null), // unclassified 60 s
      iv('weld', 'down', 100, 700, 'material'), // material 600 s
      iv('weld', 'down', 800, 830, 'jam'), // jam +30 s → 330 s, 2 stops
      iv('weld', 'changeover', 830, 1000, 'tool'), // not downtime
      iv('weld', 'down', 1000, 1090, null), // unclassified +90 → 150 s, 2 stops
    ]);
    expect(result).toEqual([
      { reason: 'material', seconds: 600, count: 1 },
      { reason: 'jam', seconds: 330, count: 2 },
      { reason: null, seconds: 150, count: 2 },
    ]);
  });

  it.each([
    // equal seconds: more stops first; then by reason, unclassified last
    [
      [iv('s', 'down', 0, 60, 'b'), iv('s', 'down', 60, 90, 'a'), iv('s', 'down', 90, 120, 'a')],
      ['a', 'b'],
    ],
    [
      [iv('s', 'down', 0, 60, null), iv('s', 'down', 60, 120, 'b'), iv('s', 'down', 120, 180, 'a')],
      ['a', 'b', null],
    ],
  ])('breaks ties by count, then reason (case %#)', (intervals, order) => {
    expect(downtimePareto(intervals).map((c) => c.reason)).toEqual(order);
  });

  it('counts only the part inside a window, and stops overlapping it', () => {
    // window [100, 1000) s: jam [0,300) → 200 s inside; material [950,1100) → 50 s; [1000,1100) outside
    const result = downtimePareto(
      [iv('s', 'down', 0, 300, 'jam'), iv('s', 'down', 950, 1100, 'material'), iv('t', 'down', 1000, 1100, 'x')],
      { from: 100_000, to: 1_000_000 },
    );
    expect(result).toEqual([
      { reason: 'jam', seconds: 200, count: 1 },
      { reason: 'material', seconds: 50, count: 1 },
    ]);
  });

  it('is empty without down time', () => {
    expect(downtimePareto([iv('s', 'running', 0, 60, null), iv('s', 'down', 60, 60, 'jam')])).toEqual([]);
  });
});
