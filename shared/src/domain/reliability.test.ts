import type { StationState } from '../contracts/station-state.js';
import { computeReliability } from './reliability.js';
import { computeTimeModel } from './time-model.js';

const M = 60_000;
const T0 = Date.parse('2026-11-27T05:00:00Z');
const at = (m: number) => T0 + m * M;
const model = (rows: [StationState, number, number][], to: number) =>
  computeTimeModel(
    rows.map(([state, start, end]) => ({ station: 's1', state, reason: null, start: at(start), end: at(end) })),
    { from: at(0), to: at(to), microStopSeconds: 120 },
  );

describe('computeReliability', () => {
  it.each<[string, [StationState, number, number][], number, number, number | null, number | null]>([
    [
      // failures 10 and 20 min; the 1-min stop is a micro-stop (operating time): OT = 30 + 1 + 39 + 20 = 90 min
      // MTBF = 90 / 2 = 45 min, MTTR = (10 + 20) / 2 = 15 min
      'two failures and a micro-stop',
      [
        ['running', 0, 30],
        ['down', 30, 31],
        ['running', 31, 70],
        ['down', 70, 80],
        ['running', 80, 100],
        ['down', 100, 120],
      ],
      120,
      2,
      45 * 60,
      15 * 60,
    ],
    [
      'only micro-stops: no failures, both null',
      [
        ['running', 0, 30],
        ['down', 30, 31],
        ['running', 31, 60],
      ],
      60,
      0,
      null,
      null,
    ],
    [
      // a failure [50, 70) crosses the window end at 60: counted here with its 10 min inside; OT 50 min
      'a failure crossing the window end counts with its part inside',
      [
        ['running', 0, 50],
        ['down', 50, 70],
      ],
      60,
      1,
      50 * 60,
      10 * 60,
    ],
    ['down all window, never operated: MTBF 0', [['down', 0, 60]], 60, 1, 0, 60 * 60],
  ])('%s', (_name, rows, to, failures, mtbf, mttr) => {
    expect(computeReliability(model(rows, to))).toEqual({ failures, mtbfSeconds: mtbf, mttrSeconds: mttr });
  });
});
