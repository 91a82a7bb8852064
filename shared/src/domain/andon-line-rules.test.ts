import {
  expectsOutput,
  lineRatePercent,
  stepBottleneckWatch,
  stepLineBelowTarget,
  type LineRateReading,
} from './andon-line-rules.js';
import { STATION_STATES } from '../contracts/station-state.js';

const M = 60_000;
const SHIFT_START = Date.parse('2026-11-27T05:00:00Z'); // 06:00 Berlin, a whole minute
const at = (m: number, s = 0) => SHIFT_START + m * M + s * 1000;

/** Target 120/h (ideal cycle 30 s); 60 min into the shift, the output station running since the shift start. */
const reading = (patch: Partial<LineRateReading> = {}): LineRateReading => ({
  now: at(60, 30),
  period: { kind: 'shift', start: SHIFT_START },
  unitsPerHour: 60,
  targetPerHour: 120,
  outputExpectedSince: SHIFT_START,
  ...patch,
});

describe('expectsOutput', () => {
  it('expects output while running, waiting or down, not on planned stops or without data', () => {
    expect(STATION_STATES.filter(expectsOutput)).toEqual(['running', 'idle', 'starved', 'blocked', 'down']);
  });
});

describe('lineRatePercent', () => {
  it.each<[string, Partial<LineRateReading>, number | null]>([
    ['half the target', {}, 50],
    ['above the target', { unitsPerHour: 150 }, 125],
    ['no output at all', { unitsPerHour: 0 }, 0],
    ['outside any shift (a day period)', { period: { kind: 'day', start: SHIFT_START } }, null],
    ['no target (ideal cycle time 0)', { targetPerHour: 0 }, null],
    ['no rate', { unitsPerHour: null }, null],
    // The window ending at 14:30 starts at minute 0: full. At 13:59 it would start before the shift.
    ['window exactly full', { now: at(14, 30) }, 50],
    ['first 14 minutes of the shift', { now: at(13, 59) }, null],
    ['output station on a planned stop or offline now', { outputExpectedSince: null }, null],
    // At 60:30 the window starts at minute 46: the output came back from a break at 46:00 (full) or 46:01 (not).
    ['back from a break just as the window starts', { outputExpectedSince: at(46) }, 50],
    ['back from a break inside the window', { outputExpectedSince: at(46, 1) }, null],
  ])('%s', (_name, patch, expected) => {
    expect(lineRatePercent(reading(patch))).toBe(expected);
  });
});

describe('stepLineBelowTarget', () => {
  const rule = { thresholdPercent: 80, thresholdSeconds: 0 };
  const now = at(60, 30);
  it.each<
    [string, number | null, boolean, Partial<LineRateReading>, typeof rule, ReturnType<typeof stepLineBelowTarget>]
  >([
    ['below: raise at once', null, false, {}, rule, { belowSince: now, action: 'raise', percent: 50 }],
    [
      'at the threshold: nothing',
      null,
      false,
      { unitsPerHour: 96 },
      rule,
      { belowSince: null, action: 'none', percent: 80 },
    ],
    [
      'below, but not yet for thresholdSeconds',
      at(60),
      false,
      {},
      { thresholdPercent: 80, thresholdSeconds: 60 },
      { belowSince: at(60), action: 'none', percent: 50 },
    ],
    [
      'below for thresholdSeconds: raise, since when it first was',
      at(59, 30),
      false,
      {},
      { thresholdPercent: 80, thresholdSeconds: 60 },
      { belowSince: at(59, 30), action: 'raise', percent: 50 },
    ],
    [
      'recovered before thresholdSeconds',
      at(60),
      false,
      { unitsPerHour: 100 },
      rule,
      { belowSince: null, action: 'none', percent: 100 / 1.2 },
    ],
    ['open, still below: stays', now, true, {}, rule, { belowSince: now, action: 'none', percent: 50 }],
    // Hysteresis: open at 80 % stays until 85 %.
    [
      'open, back at the threshold: stays',
      now,
      true,
      { unitsPerHour: 96 },
      rule,
      { belowSince: now, action: 'none', percent: 80 },
    ],
    [
      'open, at threshold + 5: clears',
      now,
      true,
      { unitsPerHour: 102 },
      rule,
      { belowSince: null, action: 'clear', percent: 85 },
    ],
    [
      'open, the shift ended: clears',
      now,
      true,
      { period: { kind: 'day', start: at(480) } },
      rule,
      { belowSince: null, action: 'clear', percent: null },
    ],
    [
      'open, output station on a break: clears',
      now,
      true,
      { outputExpectedSince: null },
      rule,
      { belowSince: null, action: 'clear', percent: null },
    ],
    [
      'not applicable and not open: nothing',
      now,
      false,
      { now: at(5) },
      rule,
      { belowSince: null, action: 'none', percent: null },
    ],
    [
      'a lower threshold: 50 % is not below 50',
      null,
      false,
      {},
      { thresholdPercent: 50, thresholdSeconds: 0 },
      { belowSince: null, action: 'none', percent: 50 },
    ],
  ])('%s', (_name, belowSince, open, patch, r, expected) => {
    expect(stepLineBelowTarget(belowSince, open, reading(patch), r)).toEqual(expected);
  });

  it('raises, holds through the hysteresis band and clears over a recovering line', () => {
    const rates = [110, 95, 70, 75, 82, 84, 86, 79, 90];
    let belowSince: number | null = null;
    let open = false;
    const actions: string[] = [];
    rates.forEach((unitsPerHour, i) => {
      const step = stepLineBelowTarget(belowSince, open, reading({ now: at(60 + i), unitsPerHour }), rule);
      belowSince = step.belowSince;
      if (step.action === 'raise') open = true;
      if (step.action === 'clear') open = false;
      actions.push(step.action);
    });
    // Percent: 91.7, 79.2 (raise), 58.3, 62.5, 68.3, 70, 71.7, 65.8, 75 — all below 85 after the raise.
    expect(actions).toEqual(['none', 'raise', 'none', 'none', 'none', 'none', 'none', 'none', 'none']);
    expect(belowSince).toBe(at(61));
    expect(stepLineBelowTarget(belowSince, open, reading({ now: at(70), unitsPerHour: 102 }), rule).action).toBe(
      'clear',
    );
  });
});

describe('stepBottleneckWatch', () => {
  const now = at(30);
  it.each<
    [
      string,
      string | null,
      { station: string | null; since: number | null },
      number,
      ReturnType<typeof stepBottleneckWatch>,
    ]
  >([
    ['first stable bottleneck: no move', null, { station: 'S2', since: at(20) }, 300, { stable: 'S2', moved: null }],
    [
      'first one not yet held for the debounce',
      null,
      { station: 'S2', since: at(26) },
      300,
      { stable: null, moved: null },
    ],
    ['same as the stable one', 'S2', { station: 'S2', since: at(0) }, 300, { stable: 'S2', moved: null }],
    ['a brief move (4 min of 5)', 'S2', { station: 'S3', since: at(26) }, 300, { stable: 'S2', moved: null }],
    [
      'a move held for exactly the debounce',
      'S2',
      { station: 'S3', since: at(25) },
      300,
      { stable: 'S3', moved: { from: 'S2', to: 'S3', since: at(25) } },
    ],
    [
      'a move learnt late (events arrive 10 min after it happened)',
      'S2',
      { station: 'S1', since: at(20) },
      300,
      { stable: 'S1', moved: { from: 'S2', to: 'S1', since: at(20) } },
    ],
    [
      'no station active (a break): keeps the stable one',
      'S2',
      { station: null, since: null },
      300,
      { stable: 'S2', moved: null },
    ],
    [
      'debounce 0: every change is a move',
      'S2',
      { station: 'S3', since: now },
      0,
      { stable: 'S3', moved: { from: 'S2', to: 'S3', since: now } },
    ],
  ])('%s', (_name, stable, momentary, debounce, expected) => {
    expect(stepBottleneckWatch(stable, momentary, now, debounce)).toEqual(expected);
  });

  it('follows S1 → S2 (brief) → S3 (held) as one move from S1 to S3', () => {
    // Momentary bottleneck at each evaluation minute, with since when it has been it.
    const readings: [number, string, number][] = [
      [10, 'S1', at(0)],
      [12, 'S2', at(11)],
      [14, 'S3', at(13)],
      [17, 'S3', at(13)],
      [18, 'S3', at(13)],
      [19, 'S3', at(13)],
    ];
    let stable: string | null = 'S1';
    const moves: unknown[] = [];
    for (const [minute, station, since] of readings) {
      const step = stepBottleneckWatch(stable, { station, since }, at(minute), 300);
      stable = step.stable;
      if (step.moved) moves.push({ minute, ...step.moved });
    }
    expect(moves).toEqual([{ minute: 18, from: 'S1', to: 'S3', since: at(13) }]);
    expect(stable).toBe('S3');
  });
});
