import type { StationState } from '../contracts/station-state.js';
import type { StateInterval } from './intervals.js';
import { buildIntervals } from './intervals.js';
import { productionDayOf } from './plant-calendar.js';
import { computeTimeModel } from './time-model.js';

const M = 60_000;
const T0 = Date.parse('2026-11-27T05:00:00Z'); // 06:00 Berlin, start of the Early shift
const at = (m: number) => T0 + m * M;
/** Intervals from [state, startMinute, endMinute] rows. */
const timeline = (...rows: [StationState, number, number][]): StateInterval[] =>
  rows.map(([state, start, end]) => ({ station: 's1', state, reason: null, start: at(start), end: at(end) }));

describe('computeTimeModel', () => {
  it('splits a shift into the ISO 22400 time model (the OEE worked check: PBT 480, OT 400 minutes)', () => {
    // 510 min window. break 30 → PBT 480. running 100+100+100+50+47 = 397 min; three 1-min down = micro-stops
    // (< 120 s) → OT 397 + 3 = 400. failures 30 + 10 = 40 (2). changeover 10. starved 30.
    // Check: 400 + 40 + 10 + 30 = 480 = PBT.
    const intervals = timeline(
      ['break', 0, 30],
      ['running', 30, 130],
      ['down', 130, 160],
      ['running', 160, 260],
      ['down', 260, 261],
      ['running', 261, 361],
      ['down', 361, 362],
      ['running', 362, 412],
      ['down', 412, 413],
      ['running', 413, 460],
      ['changeover', 460, 470],
      ['down', 470, 480],
      ['starved', 480, 510],
    );
    const tm = computeTimeModel(intervals, { from: at(0), to: at(510), microStopSeconds: 120 });
    expect(tm).toEqual({
      windowSeconds: 510 * 60,
      stateSeconds: {
        running: 397 * 60,
        idle: 0,
        starved: 30 * 60,
        blocked: 0,
        down: 43 * 60,
        changeover: 10 * 60,
        maintenance: 0,
        break: 30 * 60,
        offline: 0,
      },
      plannedBusySeconds: 480 * 60,
      runningSeconds: 397 * 60,
      operatingSeconds: 400 * 60,
      microStops: { count: 3, seconds: 180 },
      failures: { count: 2, seconds: 40 * 60 },
      changeoverSeconds: 600,
      waitingSeconds: 1800,
      plannedDowntimeSeconds: 1800,
      dataGapSeconds: 0,
    });
  });

  it.each<[string, number, number, number]>([
    // down length (ms), threshold (s) → micro-stop count, failure count; strictly shorter is a micro-stop
    ['exactly the threshold is a failure', 120_000, 120, 0],
    ['one ms below the threshold is a micro-stop', 119_999, 120, 1],
    ['threshold 0: no micro-stops at all', 1_000, 0, 0],
    ['a long stop is a failure', 600_000, 120, 0],
  ])('micro-stop boundary: %s', (_name, downMs, threshold, micro) => {
    const intervals: StateInterval[] = [
      { station: 's1', state: 'running', reason: null, start: at(0), end: at(10) },
      { station: 's1', state: 'down', reason: null, start: at(10), end: at(10) + downMs },
      { station: 's1', state: 'running', reason: null, start: at(10) + downMs, end: at(60) },
    ];
    const tm = computeTimeModel(intervals, { from: at(0), to: at(60), microStopSeconds: threshold });
    expect(tm.microStops.count).toBe(micro);
    expect(tm.failures.count).toBe(1 - micro);
    // micro-stop time is operating time: OT = 60 min − the failure's time
    expect(tm.operatingSeconds).toBe(3600 - (micro ? 0 : downMs / 1000));
    expect(tm.plannedBusySeconds).toBe(3600);
  });

  it('a window with only break time has PBT 0', () => {
    const tm = computeTimeModel(timeline(['break', 0, 30]), { from: at(0), to: at(30), microStopSeconds: 120 });
    expect(tm.plannedBusySeconds).toBe(0);
    expect(tm.operatingSeconds).toBe(0);
    expect(tm.plannedDowntimeSeconds).toBe(1800);
  });

  it('maintenance and offline leave PBT; offline and uncovered time are a data gap', () => {
    // window 0..60: running [0,20) maintenance [20,30) offline [30,40), nothing [40,50), idle [50,60)
    // PBT = 60 − 10 − (10 + 10) = 30; data gap 20 min; waiting 10 min.
    const intervals = timeline(['running', 0, 20], ['maintenance', 20, 30], ['offline', 30, 40], ['idle', 50, 60]);
    const tm = computeTimeModel(intervals, { from: at(0), to: at(60), microStopSeconds: 120 });
    expect(tm.plannedBusySeconds).toBe(30 * 60);
    expect(tm.dataGapSeconds).toBe(20 * 60);
    expect(tm.stateSeconds.offline).toBe(20 * 60);
    expect(tm.plannedDowntimeSeconds).toBe(600);
    expect(tm.waitingSeconds).toBe(600);
    const sum = Object.values(tm.stateSeconds).reduce((a, b) => a + b, 0);
    expect(sum).toBe(tm.windowSeconds);
  });

  it('counts only the part inside the window but classifies a stop by its full length', () => {
    // down [-5, 1) crosses the window start: 6 min long → a failure, 1 min of it inside.
    // down [58, 61) crosses the end: 3 min → a failure, 2 min inside. down [30, 31): 1 min → micro-stop.
    const intervals = timeline(
      ['down', -5, 1],
      ['running', 1, 30],
      ['down', 30, 31],
      ['running', 31, 58],
      ['down', 58, 61],
    );
    const tm = computeTimeModel(intervals, { from: at(0), to: at(60), microStopSeconds: 120 });
    expect(tm.failures).toEqual({ count: 2, seconds: 180 });
    expect(tm.microStops).toEqual({ count: 1, seconds: 60 });
    expect(tm.operatingSeconds).toBe((29 + 27 + 1) * 60);
    expect(tm.windowSeconds).toBe(3600);
  });

  it('the same stop cut by the window would look like a micro-stop: build with clip: false', () => {
    // down since minute -5, running from minute 1; the window starts at 0. Clipped, the stop looks 1 min long.
    const events = [{ ts: at(1), state: 'running' as const }];
    const initial = { state: 'down' as const, since: at(-5) };
    const range = { station: 's1', from: at(0), to: at(60), events, initial };
    const clipped = computeTimeModel(buildIntervals(range), { from: at(0), to: at(60), microStopSeconds: 120 });
    const full = computeTimeModel(buildIntervals({ ...range, clip: false }), {
      from: at(0),
      to: at(60),
      microStopSeconds: 120,
    });
    expect(clipped.microStops.count).toBe(1);
    expect(full.failures).toEqual({ count: 1, seconds: 60 });
    expect(full.operatingSeconds).toBe(59 * 60);
  });

  it.each([
    // production day, hours: DST days are 23 and 25 hours long, and so is their time model
    ['2026-03-28', 23],
    ['2026-10-24', 25],
    ['2026-11-27', 24],
  ])('a production day %s running throughout is %d hours of APT', (date, hours) => {
    const day = productionDayOf(date, '06:00', 'Europe/Berlin');
    const intervals = buildIntervals({
      station: 's1',
      from: day.start,
      to: day.end,
      events: [],
      initial: { state: 'running' },
    });
    const tm = computeTimeModel(intervals, { from: day.start, to: day.end, microStopSeconds: 120 });
    expect(tm.runningSeconds).toBe(hours * 3600);
    expect(tm.plannedBusySeconds).toBe(hours * 3600);
  });

  it('an empty window is all zeros', () => {
    const tm = computeTimeModel([], { from: at(10), to: at(10), microStopSeconds: 120 });
    expect(tm.windowSeconds).toBe(0);
    expect(tm.plannedBusySeconds).toBe(0);
  });
});
