import { reasonBuckets, type StationState } from '@floorboard/shared';
import { LineMetrics } from './line-metrics.js';

const MIN = 60_000;
const H = 60 * MIN;
const T0 = Date.UTC(2026, 1, 10, 5, 0);

function shiftMetrics() {
  const m = new LineMetrics(
    { stations: ['a', 'b'], outputIdealCycleSeconds: 60, lineIdealCycleSeconds: 60, microStopSeconds: 120 },
    { kind: 'shift', name: 'Early', start: T0, end: T0 + 8 * H },
  );
  m.seedState('a', 'offline', 0);
  m.seedState('b', 'offline', 0);
  return m;
}

/** The output station b's intervals of the hand-computed shift (as the history holds them). */
const HISTORY_OF_B = [
  { state: 'running', reason: null, start: 0, end: 100 },
  { state: 'down', reason: 'Break', start: 100, end: 130 },
  { state: 'running', reason: null, start: 130, end: 250 },
  { state: 'down', reason: 'jam', start: 250, end: 270 },
  { state: 'running', reason: null, start: 270, end: 400 },
  { state: 'down', reason: 'Jam', start: 400, end: 430 },
  { state: 'running', reason: null, start: 430, end: 480 },
].map((i) => ({
  ...i,
  station: 'b',
  state: i.state as StationState,
  start: T0 + i.start * MIN,
  end: T0 + i.end * MIN,
}));

describe('LineMetrics', () => {
  it('reproduces the ISO worked example incrementally (A 0.8333, P 0.9, Q 0.95, OEE 0.7125)', () => {
    const m = shiftMetrics();
    m.applyState('b', 'running', T0);
    for (let i = 0; i < 9; i++) m.applyCount('b', T0 + 30 * MIN + i * 40 * MIN, 38, 2);
    m.applyState('b', 'down', T0 + 400 * MIN);
    const { oee, throughput } = m.metrics(T0 + 8 * H);
    expect(oee.availability).toBeCloseTo(400 / 480, 10);
    expect(oee.performance).toBeCloseTo(0.9, 10);
    expect(oee.quality).toBeCloseTo(0.95, 10);
    expect(oee.oee).toBeCloseTo(0.7125, 10);
    expect(throughput).toMatchObject({ good: 342, scrap: 18, targetPerHour: 60, periodUnitsPerHour: 42.75 });
  });

  it('counts a short stop as a micro-stop (performance) and the ongoing one by its length so far', () => {
    const m = shiftMetrics();
    m.applyState('b', 'running', T0);
    m.applyState('b', 'down', T0 + H);
    m.applyState('b', 'running', T0 + H + MIN);
    m.applyState('b', 'down', T0 + 2 * H);
    expect(m.metrics(T0 + 2 * H + MIN).oee.availability).toBe(1);
    expect(m.metrics(T0 + 2 * H + 10 * MIN).oee.availability).toBeCloseTo(120 / 130, 10);
  });

  it('keeps one active period over running → down → running for the momentary bottleneck', () => {
    const m = shiftMetrics();
    m.applyState('a', 'running', T0 - 10 * MIN);
    m.applyState('b', 'running', T0);
    m.applyState('a', 'down', T0 + MIN);
    m.applyState('a', 'running', T0 + 2 * MIN);
    m.applyState('b', 'starved', T0 + 3 * MIN);
    const { bottleneck } = m.metrics(T0 + 10 * MIN);
    expect(bottleneck).toMatchObject({ station: 'a', tied: ['a'], activeSince: T0 - 10 * MIN });
    expect(bottleneck.period.station).toBe('a');
    expect(bottleneck.period.shares[0]).toMatchObject({ station: 'a' });
    // Cut at the shift start, a's period [0, 10 min) is longer than b's [0, 3 min) throughout: a is sole.
    expect(bottleneck.period.shares).toEqual([
      { station: 'a', sole: 1, shifting: 0 },
      { station: 'b', sole: 0, shifting: 0 },
    ]);
  });

  it('knows since when the momentary bottleneck has been it and the output station expected to produce', () => {
    const m = shiftMetrics();
    expect(m.andonSignals).toEqual({ bottleneck: { station: null, since: null }, outputExpectedSince: null });
    m.applyState('a', 'running', T0);
    m.applyState('b', 'running', T0 + MIN);
    expect(m.andonSignals).toEqual({ bottleneck: { station: 'a', since: T0 }, outputExpectedSince: T0 + MIN });
    // a down stays active (same bottleneck); a starved hands it to b from that moment.
    m.applyState('a', 'down', T0 + 2 * MIN);
    expect(m.andonSignals.bottleneck).toEqual({ station: 'a', since: T0 });
    m.applyState('a', 'starved', T0 + 3 * MIN);
    expect(m.andonSignals.bottleneck).toEqual({ station: 'b', since: T0 + 3 * MIN });
    // a running again starts a new (shorter) active period: b stays the bottleneck, since unchanged.
    m.applyState('a', 'running', T0 + 4 * MIN);
    expect(m.andonSignals.bottleneck).toEqual({ station: 'b', since: T0 + 3 * MIN });
    // The output station: down and blocked keep it expected; a break ends it, running starts it again.
    m.applyState('b', 'down', T0 + 5 * MIN);
    m.applyState('b', 'blocked', T0 + 6 * MIN);
    expect(m.andonSignals.outputExpectedSince).toBe(T0 + MIN);
    m.applyState('b', 'break', T0 + 7 * MIN);
    expect(m.andonSignals).toEqual({ bottleneck: { station: 'a', since: T0 + 6 * MIN }, outputExpectedSince: null });
    m.applyState('b', 'running', T0 + 37 * MIN);
    expect(m.andonSignals.outputExpectedSince).toBe(T0 + 37 * MIN);
  });

  it('rolls into the next period with the counts since its start', () => {
    const m = shiftMetrics();
    m.applyState('b', 'running', T0);
    m.applyCount('b', T0 + 7 * H + 59 * MIN, 10, 0);
    m.applyCount('b', T0 + 8 * H + MIN, 4, 0);
    m.startPeriod({ kind: 'shift', name: 'Late', start: T0 + 8 * H, end: T0 + 16 * H }, T0 + 8 * H + 2 * MIN);
    const after = m.metrics(T0 + 8 * H + 2 * MIN);
    expect(after.throughput).toMatchObject({ good: 4 });
    expect(after.oee.availability).toBe(1);
    expect(after.period.name).toBe('Late');
  });
  describe("what a stop's reason costs", () => {
    const reasons = reasonBuckets([
      { key: 'jam', name: 'Jam', oeeBucket: 'availability' },
      { key: 'break', name: 'Break', oeeBucket: 'excluded' },
      { key: 'minor-stop', name: 'Minor stop', oeeBucket: 'performance' },
    ]);

    it('follows the catalogue and a coordinator, as the KPI endpoint does (hand-computed, A 420/450, OEE 0.84)', () => {
      const m = shiftMetrics();
      m.setReasons(reasons, []);
      m.applyState('b', 'running', T0);
      m.applyState('b', 'down', T0 + 100 * MIN, 'Break');
      m.applyState('b', 'running', T0 + 130 * MIN);
      m.applyState('b', 'down', T0 + 250 * MIN, 'jam');
      m.applyState('b', 'running', T0 + 270 * MIN);
      m.applyState('b', 'down', T0 + 400 * MIN, 'Jam');
      m.applyState('b', 'running', T0 + 430 * MIN);
      m.applyCount('b', T0 + 440 * MIN, 378, 0);
      // As sent: the break is planned (PBT 450 min), both jams cost availability (operating 400 min).
      expect(m.metrics(T0 + 8 * H).oee.availability).toBeCloseTo(400 / 450, 12);
      // A coordinator calls the first jam a minor stop: a speed loss, operating 420 min. The closed stops are read
      // back from the history (here: as the live path saw them) and summed again.
      const resum = m.stopsResum();
      expect(resum).toMatchObject({ periodStart: T0, cutoff: T0 + 430 * MIN });
      const classified = [{ station: 'b', start: T0 + 250 * MIN, reasonKey: 'minor-stop', split: false }];
      expect(m.setReasons(reasons, classified, { resum, intervals: HISTORY_OF_B })).toBe(true);
      const { oee } = m.metrics(T0 + 8 * H);
      expect(oee.availability).toBeCloseTo(420 / 450, 12);
      expect(oee.performance).toBeCloseTo(0.9, 12);
      expect(oee.oee).toBeCloseTo(0.84, 12);
    });

    it('keeps the cost of stops closed while the history was read, and reads again when another re-sum came first', () => {
      const m = shiftMetrics();
      m.setReasons(reasons, []);
      for (const i of HISTORY_OF_B.slice(0, 4)) m.applyState('b', i.state, i.start, i.reason);
      const first = m.stopsResum();
      const second = m.stopsResum();
      expect(first.cutoff).toBe(T0 + 250 * MIN);
      // While the history is read, the jam (250–270) and the second jam (400–430) close: not in what was read.
      for (const i of HISTORY_OF_B.slice(4)) m.applyState('b', i.state, i.start, i.reason);
      const classified = [{ station: 'b', start: T0 + 100 * MIN, reasonKey: 'jam', split: false }];
      expect(m.setReasons(reasons, classified, { resum: first, intervals: HISTORY_OF_B.slice(0, 4) })).toBe(true);
      // The break is a jam now: nothing planned; both jams as they closed: 80 min down, A = 400 / 480.
      expect(m.metrics(T0 + 8 * H).oee.availability).toBeCloseTo(400 / 480, 12);
      expect(m.setReasons(reasons, [], { resum: second, intervals: HISTORY_OF_B.slice(0, 4) })).toBe(false);
      expect(m.metrics(T0 + 8 * H).oee.availability).toBeCloseTo(400 / 480, 12);
      // A re-sum taken in another shift is stale too.
      const old = m.stopsResum();
      m.startPeriod({ kind: 'shift', name: 'Late', start: T0 + 8 * H, end: T0 + 16 * H }, T0 + 8 * H);
      expect(m.setReasons(reasons, [], { resum: old, intervals: HISTORY_OF_B })).toBe(false);
    });

    it('leaves an ongoing planned stop out of planned busy time, also when the reason comes after the stop', () => {
      const m = shiftMetrics();
      m.setReasons(reasons, []);
      m.applyState('b', 'running', T0);
      m.applyState('b', 'down', T0 + 60 * MIN);
      expect(m.metrics(T0 + 90 * MIN).oee.availability).toBeCloseTo(60 / 90, 12);
      m.applyReason('b', 'break');
      expect(m.metrics(T0 + 90 * MIN).oee.availability).toBe(1);
      m.applyState('b', 'running', T0 + 100 * MIN);
      expect(m.metrics(T0 + 120 * MIN).oee.availability).toBe(1);
      // A planned stop closed before the period began costs the new period nothing.
      m.startPeriod({ kind: 'shift', name: 'Late', start: T0 + 8 * H, end: T0 + 16 * H }, T0 + 8 * H);
      expect(m.metrics(T0 + 9 * H).oee.availability).toBe(1);
    });
    it('does not expect output during a stop with a planned reason (line-below-target waits)', () => {
      const m = shiftMetrics();
      m.setReasons(reasons, []);
      m.applyState('b', 'running', T0);
      m.applyState('b', 'down', T0 + 60 * MIN, 'Break');
      expect(m.andonSignals.outputExpectedSince).toBeNull();
      m.applyState('b', 'running', T0 + 90 * MIN);
      expect(m.andonSignals.outputExpectedSince).toBe(T0 + 90 * MIN);
      // A jam is expected time; a coordinator calling the ongoing stop planned maintenance ends the stretch.
      m.applyState('b', 'down', T0 + 120 * MIN, 'jam');
      expect(m.andonSignals.outputExpectedSince).toBe(T0 + 90 * MIN);
      m.setReasons(reasons, [{ station: 'b', start: T0 + 120 * MIN, reasonKey: 'break', split: false }]);
      expect(m.andonSignals.outputExpectedSince).toBeNull();
      // The station's own reason arriving later counts too.
      m.applyState('b', 'running', T0 + 130 * MIN);
      m.applyState('b', 'down', T0 + 140 * MIN);
      expect(m.andonSignals.outputExpectedSince).toBe(T0 + 130 * MIN);
      m.applyReason('b', 'Break');
      expect(m.andonSignals.outputExpectedSince).toBeNull();
    });
  });
});
