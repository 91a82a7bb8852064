import { STATION_STATES, type StationState } from '../contracts/station-state.js';
import type { LineSummary } from '../contracts/live.js';
import { activePeriods, analyseBottleneck } from './bottleneck.js';
import type { StateInterval } from './intervals.js';
import {
  bucketExtents,
  gapIntervalsSuffice,
  kpiPartials,
  planKpiWindow,
  stationFigures,
  type KpiPartial,
  type StoredKpiPartial,
} from './kpi-partials.js';
import { combineKpiPartials, computeLineKpis } from './line-kpis.js';
import { computeOee } from './oee.js';
import { downtimePareto } from './pareto.js';
import { computeReliability } from './reliability.js';
import { classifyStops, isStopState, reasonBuckets, reasonMatcher, type StopClassification } from './stops.js';
import { throughputOver } from './throughput.js';
import { computeTimeModel } from './time-model.js';

const S = 1000;
const M = 60 * S;
const T0 = Date.parse('2026-11-27T05:00:00Z');
const BUCKET = 15 * M;
const MICRO_S = 120;
/** A catalogue with every OEE bucket: planned stops (`excluded`), speed losses, quality and availability losses. */
const CATALOGUE = [
  { key: 'jam', name: 'Jam', oeeBucket: 'availability' },
  { key: 'motor-fault', name: 'Motor fault', oeeBucket: 'availability' },
  { key: 'break', name: 'Break', oeeBucket: 'excluded' },
  { key: 'minor-stop', name: 'Minor stop', oeeBucket: 'performance' },
  { key: 'quality-check', name: 'Quality check', oeeBucket: 'quality' },
] as const;
const matchStationReason = reasonMatcher(CATALOGUE);
const reasons = reasonBuckets(CATALOGUE);

/** A small deterministic generator (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lineOf(stations: string[]): LineSummary {
  return {
    key: 'l1',
    name: 'Line 1',
    idealCycleTimeSec: 30,
    stations: stations.map((key) => ({ key, name: key, idealCycleTimeSec: 30 })),
  } as LineSummary;
}

/**
 * Merged intervals of `stations` over `[T0, T0 + hours)`: lengths from seconds (micro-stops) to an hour, every
 * state, the odd gap, neighbours of one station always in different states (as the history merges them).
 */
function history(seed: number, stations: string[], hours: number): StateInterval[] {
  const rnd = random(seed);
  const states: StationState[] = [...STATION_STATES, 'running', 'running', 'down', 'starved', 'blocked'];
  const texts = ['jam', 'Motor fault', 'unknown text', null, 'BREAK', 'minor stop', 'Quality check'];
  const out: StateInterval[] = [];
  for (const station of stations) {
    let t = T0 + Math.floor(rnd() * 10) * S;
    let last: StationState | null = null;
    while (t < T0 + hours * 3_600_000) {
      let state = states[Math.floor(rnd() * states.length)]!;
      if (state === last) state = state === 'running' ? 'down' : 'running';
      const long = rnd() < 0.15;
      const length = Math.max(S, Math.floor((long ? rnd() * 60 : rnd() * 6) * M));
      out.push({
        station,
        state,
        reason: isStopState(state) ? texts[Math.floor(rnd() * texts.length)]! : null,
        start: t,
        end: t + length,
      });
      last = state;
      t += length;
      if (rnd() < 0.03) {
        t += Math.floor(rnd() * 5) * M; // a data gap: offline time
        last = null;
      }
    }
  }
  return out;
}

/** The stored rows behind merged intervals: each interval cut into a few rows of the same state and reason. */
function rowsOf(intervals: StateInterval[], seed: number): StateInterval[] {
  const rnd = random(seed);
  return intervals.flatMap((i) => {
    const cuts = [i.start];
    while (rnd() < 0.3) {
      const t = i.start + Math.floor(rnd() * (i.end - i.start));
      if (t > cuts[cuts.length - 1]!) cuts.push(t);
    }
    cuts.push(i.end);
    return cuts.slice(1).map((end, k) => ({ ...i, start: cuts[k]!, end }));
  });
}

/** What `HistoryService.intervals` answers: the rows overlapping `[from, to)`, touching rows of one state merged. */
function fetchIntervals(rows: StateInterval[], from: number, to: number): StateInterval[] {
  const sorted = rows
    .filter((r) => r.start < to && r.end > from)
    .sort((a, b) => (a.station < b.station ? -1 : a.station > b.station ? 1 : a.start - b.start));
  const out: StateInterval[] = [];
  for (const row of sorted) {
    const last = out[out.length - 1];
    if (last && last.station === row.station && last.state === row.state && last.end === row.start) {
      last.end = row.end;
      last.reason = row.reason ?? last.reason;
    } else {
      out.push({ ...row });
    }
  }
  return out;
}

/** Coordinators' classifications of some stops, and split points inside some of them. */
function classificationsOf(intervals: StateInterval[], seed: number): StopClassification[] {
  const rnd = random(seed);
  const out: StopClassification[] = [];
  for (const i of intervals) {
    if (!isStopState(i.state) || rnd() > 0.3) continue;
    const keys = ['jam', 'tooling', 'break', 'minor-stop', 'quality-check'];
    const pick = () => keys[Math.floor(rnd() * keys.length)]!;
    out.push({ station: i.station, start: i.start, reasonKey: pick(), split: false });
    if (i.end - i.start > 2 * S && rnd() < 0.5) {
      const t = i.start + 1 + Math.floor(rnd() * (i.end - i.start - 2));
      out.push({ station: i.station, start: t, reasonKey: rnd() < 0.5 ? 'motor-fault' : pick(), split: true });
    }
  }
  return out;
}

/** The line's KPIs composed from the per-figure domain functions, as the server did before partials existed. */
function reference(
  line: LineSummary,
  intervals: StateInterval[],
  classifications: StopClassification[],
  from: number,
  to: number,
) {
  const keys = line.stations.map((s) => s.key);
  const stateSeconds: Record<string, Record<StationState, number>> = {};
  let operatingSeconds = 0;
  const failures = { count: 0, seconds: 0 };
  const models = new Map<string, ReturnType<typeof computeTimeModel>>();
  for (const key of keys) {
    const own = intervals.filter((i) => i.station === key);
    const model = computeTimeModel(own, { from, to, microStopSeconds: MICRO_S });
    // What the stops' reasons change, from the classified parts: planned (`excluded`) time leaves planned busy
    // time (and operating time, for a micro-stop), a `performance` stop's time becomes operating time, and a
    // failure needs some availability (or quality) loss.
    const adjusted = { ...model };
    const lossIn = new Map<number, boolean>();
    for (const part of classifyStops(
      own.filter((i) => isStopState(i.state)),
      classifications,
      matchStationReason,
    )) {
      const bucket = part.reason === null ? 'availability' : reasons.bucketOf(part.reason);
      const isDown = part.state === 'down';
      const micro = isDown && part.stopEnd - part.stopStart < MICRO_S * S;
      if (!micro && isDown && part.stopEnd > from && part.stopStart < to) {
        const loss = bucket === 'availability' || bucket === 'quality';
        lossIn.set(part.stopStart, (lossIn.get(part.stopStart) ?? false) || loss);
      }
      const inside = (Math.min(part.end, to) - Math.max(part.start, from)) / S;
      if (inside <= 0) continue;
      if (bucket === 'excluded') {
        adjusted.plannedBusySeconds -= inside;
        if (micro) adjusted.operatingSeconds -= inside;
        else if (isDown) adjusted.failures = { ...adjusted.failures, seconds: adjusted.failures.seconds - inside };
      } else if (bucket === 'performance' && !micro) {
        adjusted.operatingSeconds += inside;
        if (isDown) adjusted.failures = { ...adjusted.failures, seconds: adjusted.failures.seconds - inside };
      }
    }
    for (const loss of lossIn.values()) {
      if (!loss) adjusted.failures = { ...adjusted.failures, count: adjusted.failures.count - 1 };
    }
    models.set(key, adjusted);
    stateSeconds[key] = model.stateSeconds;
    operatingSeconds += adjusted.operatingSeconds;
    failures.count += adjusted.failures.count;
    failures.seconds += adjusted.failures.seconds;
  }
  const output = line.stations[line.stations.length - 1]!;
  const counts = { good: 40, scrap: 2 };
  const outputModel = models.get(output.key)!;
  const oee = computeOee({
    plannedBusySeconds: outputModel.plannedBusySeconds,
    operatingSeconds: outputModel.operatingSeconds,
    idealCycleSeconds: output.idealCycleTimeSec,
    ...counts,
  });
  const bottleneck = analyseBottleneck(activePeriods(intervals), { from, to, stations: keys });
  const reliability = computeReliability({ operatingSeconds, failures });
  return {
    outputStation: output.key,
    oee: { availability: oee.availability, performance: oee.performance, quality: oee.quality, oee: oee.oee },
    throughput: throughputOver({ ...counts, from, to, idealCycleSeconds: line.idealCycleTimeSec }),
    bottleneck: { station: bottleneck.station, shares: bottleneck.shares },
    downtime: downtimePareto(
      classifyStops(
        intervals.filter((i) => i.state === 'down'),
        classifications,
        matchStationReason,
      ),
      { from, to },
    ),
    stateSeconds,
    mtbfSeconds: reliability.mtbfSeconds,
    mttrSeconds: reliability.mttrSeconds,
  };
}

const counts = new Map([['s3', { good: 40, scrap: 2 }]]);

describe('computeLineKpis (one part over the whole window)', () => {
  /** Equal up to rounding: the reference applies the reasons' buckets in another order (seconds, not ms). */
  function expectNearlyEqual(got: unknown, want: unknown, path = ''): void {
    if (typeof want === 'number' && typeof got === 'number') {
      expect({ path, value: got }).toEqual({ path, value: expect.closeTo(want, 9) });
    } else if (want !== null && typeof want === 'object') {
      expect(Object.keys(got as object).sort()).toEqual(Object.keys(want).sort());
      for (const [key, value] of Object.entries(want)) {
        expectNearlyEqual((got as Record<string, unknown>)[key], value, `${path}.${key}`);
      }
    } else {
      expect({ path, value: got }).toEqual({ path, value: want });
    }
  }

  it.each(Array.from({ length: 30 }, (_, k) => k + 1))(
    'gives the per-figure composition on random history %i',
    (seed) => {
      const stations = ['s1', 's2', 's3'];
      const line = lineOf(stations);
      const rnd = random(seed * 7);
      const intervals = history(seed, stations, 6);
      const classifications = classificationsOf(intervals, seed);
      const from = T0 + Math.floor(rnd() * 3 * 3_600_000);
      const to = from + Math.floor(1 + rnd() * 3 * 3_600_000);
      const got = computeLineKpis({
        line,
        intervals,
        counts,
        from,
        to,
        microStopSeconds: MICRO_S,
        classifications,
        matchStationReason,
        reasons,
      });
      expectNearlyEqual(got, reference(line, intervals, classifications, from, to));
    },
  );
});

describe('KPI partials: stored buckets plus raw gaps equal one computation over the window', () => {
  /**
   * Stores 15-minute parts built the way the server builds them (chunks of fetched rows with a pad; a part is
   * kept only with an extent), then answers random windows from the parts it can use and raw gaps.
   */
  function storedParts(
    rows: StateInterval[],
    stations: string[],
    classifications: StopClassification[],
    hours: number,
  ) {
    const stored: StoredKpiPartial[] = [];
    const chunk = 2 * 3_600_000;
    const pad = 30 * M;
    for (let c = T0; c < T0 + hours * 3_600_000; c += chunk) {
      const fetched = { from: c - pad, to: c + chunk + pad };
      const intervals = fetchIntervals(rows, fetched.from, fetched.to);
      const buckets: [number, number][] = [];
      for (let b = c; b < c + chunk; b += BUCKET) buckets.push([b, b + BUCKET]);
      const extents = bucketExtents(intervals, stations, fetched, buckets);
      const partials = kpiPartials({
        intervals,
        stations,
        window: fetched,
        buckets,
        microStopSeconds: MICRO_S,
        classifications,
        reasons,
      });
      partials.forEach((partial, k) => {
        const extent = extents[k];
        if (extent) stored.push({ partial, extent });
      });
    }
    return stored;
  }

  function answer(
    rows: StateInterval[],
    stations: string[],
    classifications: StopClassification[],
    stored: StoredKpiPartial[],
    from: number,
    to: number,
  ) {
    const { used, gaps } = planKpiWindow({ from, to }, stored, MICRO_S * S);
    const raw: KpiPartial[] = gaps.flatMap((gap) => {
      // As the server does: the narrow fetch when it holds everything the gap depends on, else the wide one.
      let intervals = fetchIntervals(rows, gap.near.from, gap.near.to);
      if (gapIntervalsSuffice(intervals, stations, { from, to }, gap)) nearSufficed++;
      else {
        wideNeeded++;
        intervals = fetchIntervals(rows, gap.fetch.from, gap.fetch.to);
      }
      return kpiPartials({
        intervals,
        stations,
        window: { from, to },
        buckets: [gap.measure],
        microStopSeconds: MICRO_S,
        classifications,
        reasons,
      });
    });
    const partials = [...used, ...raw].sort((a, b) => a.start - b.start);
    return { used: used.length, partials };
  }

  let usedInAll = 0;
  let nearSufficed = 0;
  let wideNeeded = 0;
  afterAll(() => {
    // The property is only worth something if stored parts and both kinds of gap fetch were actually used.
    expect(usedInAll).toBeGreaterThan(200);
    expect(nearSufficed).toBeGreaterThan(20);
    expect(wideNeeded).toBeGreaterThan(20);
  });

  it.each(Array.from({ length: 25 }, (_, k) => k + 1))('on random history and windows %i', (seed) => {
    const stations = ['s1', 's2', 's3'];
    const line = lineOf(stations);
    const hours = 12;
    const merged = history(seed, stations, hours);
    const rows = rowsOf(merged, seed);
    const classifications = classificationsOf(merged, seed + 100);
    const stored = storedParts(rows, stations, classifications, hours);
    const rnd = random(seed * 13);
    for (let w = 0; w < 6; w++) {
      const from = T0 + Math.floor(rnd() * 5 * 3_600_000);
      const to = Math.min(T0 + hours * 3_600_000, from + Math.floor(1 + rnd() * 7 * 3_600_000));
      const { used, partials } = answer(rows, stations, classifications, stored, from, to);
      usedInAll += used;
      // The parts tile the window.
      expect(partials[0]!.start).toBe(from);
      expect(partials[partials.length - 1]!.end).toBe(to);
      partials.slice(1).forEach((p, k) => expect(p.start).toBe(partials[k]!.end));
      const whole = fetchIntervals(rows, from - MICRO_S * S, to + MICRO_S * S);
      const window = { line, counts, from, to, matchStationReason };
      expect(combineKpiPartials(partials, window)).toStrictEqual(
        computeLineKpis({ ...window, intervals: whole, microStopSeconds: MICRO_S, classifications, reasons }),
      );
    }
  });
});

describe('kpiPartials', () => {
  const at = (m: number) => T0 + m * M;
  const interval = (
    station: string,
    state: StationState,
    start: number,
    end: number,
    reason: string | null = null,
  ) => ({
    station,
    state,
    reason,
    start: at(start),
    end: at(end),
  });

  it('counts a stop once, in the bucket where it first overlaps the window, and splits its time', () => {
    const [first, second] = kpiPartials({
      intervals: [
        interval('s1', 'running', 0, 10),
        interval('s1', 'down', 10, 20, 'jam'),
        interval('s1', 'running', 20, 30),
      ],
      stations: ['s1'],
      window: { from: at(0), to: at(30) },
      buckets: [
        [at(0), at(15)],
        [at(15), at(30)],
      ],
      microStopSeconds: MICRO_S,
      classifications: [],
    });
    expect(stationFigures(first!.stations[0]!).failures).toEqual({ count: 1, ms: 5 * M });
    expect(stationFigures(second!.stations[0]!).failures).toEqual({ count: 0, ms: 5 * M });
    expect(first!.downtime).toEqual([{ reasonKey: null, stationReason: 'jam', ms: 5 * M, count: 1 }]);
    expect(second!.downtime).toEqual([{ reasonKey: null, stationReason: 'jam', ms: 5 * M, count: 0 }]);
  });

  it('decides micro-stop or failure by the whole stop, not the part in a bucket', () => {
    // A 90 s stop (micro-stop at 120 s) and a 5 min stop, both crossing the bucket edge at minute 15.
    const [first, second] = kpiPartials({
      intervals: [
        { station: 's1', state: 'down' as const, reason: null, start: at(14), end: at(14) + 90 * S },
        interval('s1', 'running', 14 + 1.5, 14.5 + 1.5),
      ].concat([interval('s1', 'down', 29, 34)]),
      stations: ['s1'],
      window: { from: at(0), to: at(45) },
      buckets: [
        [at(0), at(15)],
        [at(15), at(30)],
        [at(30), at(45)],
      ],
      microStopSeconds: MICRO_S,
      classifications: [],
    });
    expect(stationFigures(first!.stations[0]!).microStops).toEqual({ count: 1, ms: 60 * S });
    expect(stationFigures(second!.stations[0]!).microStops).toEqual({ count: 0, ms: 30 * S });
    expect(stationFigures(second!.stations[0]!).failures).toEqual({ count: 1, ms: 1 * M });
    expect(stationFigures(second!.stations[0]!).stateMs.offline).toBe(15 * M - 30 * S - 30 * S - 1 * M);
  });

  it('fills time no interval covers as offline, so each station sums to the bucket', () => {
    const [part] = kpiPartials({
      intervals: [interval('s1', 'running', 2, 5)],
      stations: ['s1', 's2'],
      window: { from: at(0), to: at(10) },
      buckets: [[at(0), at(10)]],
      microStopSeconds: MICRO_S,
      classifications: [],
    });
    expect(stationFigures(part!.stations[0]!).stateMs.running).toBe(3 * M);
    expect(stationFigures(part!.stations[0]!).stateMs.offline).toBe(7 * M);
    expect(stationFigures(part!.stations[1]!).stateMs.offline).toBe(10 * M);
  });
});

describe("what a stop's reason costs (the catalogue's OEE bucket)", () => {
  const at = (m: number) => T0 + m * M;
  const line = lineOf(['s1']);
  const kpisOf = (intervals: StateInterval[], classifications: StopClassification[] = []) =>
    computeLineKpis({
      line: { ...line, stations: [{ key: 's1', name: 's1', idealCycleTimeSec: 60 }] } as LineSummary,
      intervals,
      counts: new Map([['s1', { good: 378, scrap: 0 }]]),
      from: at(0),
      to: at(480),
      microStopSeconds: MICRO_S,
      classifications,
      matchStationReason,
      reasons,
    });
  const down = (start: number, end: number, reason: string | null): StateInterval => ({
    station: 's1',
    state: 'down',
    reason,
    start: at(start),
    end: at(end),
  });
  const running = (start: number, end: number): StateInterval => ({
    station: 's1',
    state: 'running',
    reason: null,
    start: at(start),
    end: at(end),
  });

  it('takes planned stops out of planned busy time and counts minor stops as speed losses (hand-computed)', () => {
    // 480 min: running 400, a 30 min break sent by the station, a 20 min stop a coordinator called a minor
    // stop, a 30 min jam. PBT = 480 − 30 = 450 min; operating = 400 + 20 = 420 min; one failure of 30 min.
    // A = 420/450, P = 378 × 1 min / 420 min = 0.9, Q = 1, OEE = 378/450 = 0.84.
    const kpis = kpisOf(
      [
        running(0, 100),
        down(100, 130, 'Break'),
        running(130, 250),
        down(250, 270, 'jam'),
        running(270, 400),
        down(400, 430, 'Jam'),
        running(430, 480),
      ],
      [{ station: 's1', start: at(250), reasonKey: 'minor-stop', split: false }],
    );
    expect(kpis.oee.availability).toBeCloseTo(420 / 450, 12);
    expect(kpis.oee.performance).toBeCloseTo(0.9, 12);
    expect(kpis.oee.quality).toBe(1);
    expect(kpis.oee.oee).toBeCloseTo(0.84, 12);
    expect(kpis.mttrSeconds).toBe(30 * 60);
    expect(kpis.mtbfSeconds).toBe(420 * 60);
    // The Pareto still shows every stop under its reason; the state time is what the station reported.
    expect(kpis.downtime.map((d) => [d.reason, d.seconds])).toEqual([
      ['break', 1800],
      ['jam', 1800],
      ['minor-stop', 1200],
    ]);
    expect(kpis.stateSeconds.s1!.down).toBe(80 * 60);
  });

  it("follows the coordinator over the station's text, and each part of a split stop", () => {
    // The station says "break" for 40 min; a coordinator splits it: 10 min jam, then 30 min break.
    const history = [running(0, 100), down(100, 140, 'break'), running(140, 480)];
    const asSent = kpisOf(history);
    expect(asSent.oee.availability).toBe(1); // PBT 440 min, all of it running
    const split = kpisOf(history, [
      { station: 's1', start: at(100), reasonKey: 'jam', split: false },
      { station: 's1', start: at(110), reasonKey: 'break', split: true },
    ]);
    expect(split.oee.availability).toBeCloseTo(440 / 450, 12);
    expect(split.mttrSeconds).toBe(10 * 60);
    // Without a catalogue every stop is an availability loss, as before reasons had buckets.
    const plain = computeLineKpis({
      line: { ...line, stations: [{ key: 's1', name: 's1', idealCycleTimeSec: 60 }] } as LineSummary,
      intervals: history,
      counts: new Map(),
      from: at(0),
      to: at(480),
      microStopSeconds: MICRO_S,
      classifications: [],
      matchStationReason,
    });
    expect(plain.oee.availability).toBeCloseTo(440 / 480, 12);
  });

  it('leaves a planned micro-stop out of both planned busy time and the micro-stop count', () => {
    const [part] = kpiPartials({
      intervals: [running(0, 5), down(5, 6, 'Break'), running(6, 8), down(8, 9, 'jam'), running(9, 15)],
      stations: ['s1'],
      window: { from: at(0), to: at(15) },
      buckets: [[at(0), at(15)]],
      microStopSeconds: MICRO_S,
      classifications: [],
      reasons,
    });
    const figures = stationFigures(part!.stations[0]!);
    expect(figures.microStops).toEqual({ count: 1, ms: 1 * M });
    expect(figures.plannedStopMs).toBe(1 * M);
    expect(figures.failures).toEqual({ count: 0, ms: 0 });
  });
});

describe('bucketExtents', () => {
  const at = (m: number) => T0 + m * M;
  const fetched = { from: at(-60), to: at(120) };
  const run = (intervals: StateInterval[]) =>
    bucketExtents(intervals, ['s1', 's2'], fetched, [
      [at(0), at(15)],
      [at(15), at(30)],
    ]);
  const active = (station: string, start: number, end: number): StateInterval => ({
    station,
    state: 'running',
    reason: null,
    start: at(start),
    end: at(end),
  });

  it('reaches over the periods covering a bucket and the periods overlapping those', () => {
    // s1 [10, 20) covers both buckets' edge; s2 [18, 50) overlaps it; s2 [-20, 5) covers the first bucket.
    const [first, second] = run([active('s1', 10, 20), active('s2', 18, 50), active('s2', -20, 5)]);
    expect(first).toEqual({ start: at(-20), end: at(50) });
    expect(second).toEqual({ start: at(10), end: at(50) });
  });

  it('is null where that neighbourhood touches the edge of the fetched range (a period maybe cut short)', () => {
    const [first, second] = run([active('s1', -60, 5), active('s2', 20, 25)]);
    expect(first).toBeNull();
    expect(second).toEqual({ start: at(15), end: at(30) });
  });

  it('is the bucket itself where no station is active', () => {
    const [first] = run([{ ...active('s1', 0, 15), state: 'idle' }]);
    expect(first).toEqual({ start: at(0), end: at(15) });
  });
});

describe('planKpiWindow', () => {
  const at = (m: number) => T0 + m * M;
  const part = (start: number, end: number, extent: [number, number]): StoredKpiPartial => ({
    partial: { start: at(start), end: at(end), stations: [], downtime: [] },
    extent: { start: at(extent[0]), end: at(extent[1]) },
  });

  it('uses parts whose extent lies inside the window and fetches each gap over its neighbours’ extents', () => {
    const stored = [part(0, 15, [-5, 20]), part(15, 30, [10, 40]), part(30, 45, [25, 50]), part(45, 60, [40, 70])];
    const { used, gaps } = planKpiWindow({ from: at(5), to: at(60) }, stored, 2 * M);
    expect(used.map((p) => (p.start - T0) / M)).toEqual([15, 30]);
    expect(gaps).toEqual([
      { measure: [at(5), at(15)], near: { from: at(3), to: at(17) }, fetch: { from: at(3), to: at(42) } },
      { measure: [at(45), at(60)], near: { from: at(43), to: at(62) }, fetch: { from: at(23), to: at(62) } },
    ]);
  });

  it('is one gap over the whole window when nothing is stored', () => {
    expect(planKpiWindow({ from: at(0), to: at(30) }, [], 0)).toEqual({
      used: [],
      gaps: [{ measure: [at(0), at(30)], near: { from: at(0), to: at(30) }, fetch: { from: at(0), to: at(30) } }],
    });
  });
});
